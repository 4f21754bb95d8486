import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeApiServerEmulator } from '../../test/fixtures/kube/kube-apiserver.emulator.js';
import { HelmwatchService, ReleaseNotFoundError } from './helmwatch.service.js';
import { parseSovereignKubeconfig, type SovereignKubeconfig } from './kubeconfig.js';

/*
 * The helmwatch module's API (issue 12) against the kube-apiserver emulator over https, reached with
 * a kubeconfig the strict parser produced — the only kind the module takes.
 */

const NS = 'flux-system';
const helm = new HelmwatchService();
let kube: KubeApiServerEmulator;
let kubeconfig: SovereignKubeconfig;

beforeAll(async () => {
  kube = new KubeApiServerEmulator({ tls: true });
  await kube.start();
  kubeconfig = parseSovereignKubeconfig(kube.kubeconfig(), { hosts: ['127.0.0.1'], port: kube.port });
});
afterAll(async () => {
  await kube.stop();
});

const annotationsOf = (name: string) =>
  Object.keys(
    (kube.lastPatch(NS, name)?.patch as { metadata?: { annotations?: Record<string, string> } } | undefined)
      ?.metadata?.annotations ?? {},
  ).sort();

describe('HelmwatchService', () => {
  it('lists every HelmRelease in every namespace with its state, sorted', async () => {
    kube.upsert(NS, 'bp-harbor', {});
    kube.ready(NS, 'bp-harbor');
    kube.upsert(NS, 'bp-gitea', {});
    kube.stalled(NS, 'bp-gitea', 'Failed to install after 3 attempt(s)');
    kube.upsert('apps', 'wordpress', {});
    kube.progressing('apps', 'wordpress');

    const releases = await helm.listReleases(kubeconfig);

    expect(releases.map(({ namespace, name, state }) => ({ namespace, name, state }))).toEqual([
      { namespace: 'apps', name: 'wordpress', state: 'installing' },
      { namespace: NS, name: 'bp-gitea', state: 'failed' },
      { namespace: NS, name: 'bp-harbor', state: 'installed' },
    ]);
    expect(releases.find((r) => r.name === 'bp-gitea')?.message).toContain('3 attempt(s)');
  });

  it('retries a release with the reconcile and force annotations, and resets one helm-controller gave up on', async () => {
    kube.upsert(NS, 'bp-grafana', {});
    kube.ready(NS, 'bp-grafana');
    await helm.retryRelease(kubeconfig, NS, 'bp-grafana');
    expect(annotationsOf('bp-grafana')).toEqual([
      'reconcile.fluxcd.io/forceAt',
      'reconcile.fluxcd.io/requestedAt',
    ]);

    kube.upsert(NS, 'bp-keycloak', {});
    kube.stalled(NS, 'bp-keycloak', 'Failed to install after 3 attempt(s)');
    await helm.retryRelease(kubeconfig, NS, 'bp-keycloak');
    expect(annotationsOf('bp-keycloak')).toEqual([
      'reconcile.fluxcd.io/forceAt',
      'reconcile.fluxcd.io/requestedAt',
      'reconcile.fluxcd.io/resetAt',
    ]);
  });

  it('says when the release to retry is not on the cluster', async () => {
    await expect(helm.retryRelease(kubeconfig, NS, 'bp-missing')).rejects.toBeInstanceOf(
      ReleaseNotFoundError,
    );
  });
});

describe('kube clients', () => {
  const SRC = join(dirname(fileURLToPath(import.meta.url)), '..');
  const sources = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return sources(path);
      return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
    });

  it('are built only inside helmwatch/, and never from a kubeconfig text (no loadFromString)', () => {
    // The one exception: the cluster Catalyst runs on, from its own pod's service-account mount.
    const inCluster = 'helmwatch/local-cluster.ts';
    const offenders = sources(SRC).flatMap((path) => {
      const file = relative(SRC, path);
      const text = readFileSync(path, 'utf8');
      const found: string[] = [];
      if (
        /\.loadFrom(String|File|Default)\s*\(/.test(text) ||
        (file !== inCluster && /\.loadFromCluster\s*\(/.test(text))
      )
        found.push(`${file}: loads a kubeconfig text`);
      if (
        !file.startsWith('helmwatch/') &&
        /from '(@kubernetes\/client-node|[^']*\/kube\.client\.js)'/.test(text)
      )
        found.push(`${file}: builds a kube client outside helmwatch/`);
      return found;
    });
    expect(offenders).toEqual([]);
  });
});
