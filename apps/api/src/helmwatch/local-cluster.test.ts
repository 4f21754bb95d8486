import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'js-yaml';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeApiServerEmulator } from '../../test/fixtures/kube/kube-apiserver.emulator.js';
import type { Config } from '../config/config.js';
import { LocalCluster } from './local-cluster.js';

const logger = pino({ level: 'silent' });
let kube: KubeApiServerEmulator;
let dir: string;

const at = (cluster: Config['apps']['cluster']) => new LocalCluster({ apps: { cluster } } as Config, logger);

function refusal(cluster: LocalCluster): { status: number; code: string; message: string } {
  try {
    cluster.assertAvailable();
  } catch (error) {
    return error as { status: number; code: string; message: string };
  }
  throw new Error('the cluster was available');
}

beforeAll(async () => {
  kube = new KubeApiServerEmulator({ tls: true });
  await kube.start();
  dir = mkdtempSync(join(tmpdir(), 'catalyst-local-cluster-'));
});
afterAll(async () => {
  await kube.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the cluster tenant apps are deployed into', () => {
  it('is unavailable without KUBERNETES_SERVICE_HOST or KUBECONFIG: 503 cluster_unavailable saying so', () => {
    const none = at({ inCluster: false });
    expect(none.available).toBe(false);
    expect(refusal(none)).toMatchObject({ status: 503, code: 'cluster_unavailable' });
    expect(refusal(none).message).toContain('KUBECONFIG');
  });

  it('uses the KUBECONFIG file when it passes the strict parser, and talks to that cluster', async () => {
    const path = join(dir, 'good');
    writeFileSync(path, kube.kubeconfig());
    const cluster = at({ inCluster: false, kubeconfigPath: path });
    expect(cluster.available).toBe(true);
    const list = await cluster.clients().objects.list('v1', 'Namespace');
    expect(list.items.map((n) => n.metadata?.name)).toContain('flux-system');
  });

  it('refuses a KUBECONFIG with an exec plugin (never run), naming the field', () => {
    const document = load(kube.kubeconfig()) as { users: { user: Record<string, unknown> }[] };
    const user = document.users[0] as { user: Record<string, unknown> };
    user.user = { exec: { command: '/bin/sh', args: ['-c', `touch ${join(dir, 'ran')}`] } };
    const path = join(dir, 'exec');
    writeFileSync(path, JSON.stringify(document));
    const cluster = at({ inCluster: false, kubeconfigPath: path });
    expect(cluster.available).toBe(false);
    expect(refusal(cluster).message).toContain('users[0].user.exec');
  });

  it('refuses a KUBECONFIG that is missing or not YAML, without stopping the api', () => {
    expect(refusal(at({ inCluster: false, kubeconfigPath: join(dir, 'absent') })).code).toBe(
      'cluster_unavailable',
    );
    const path = join(dir, 'garbage');
    writeFileSync(path, 'clusters: [');
    expect(refusal(at({ inCluster: false, kubeconfigPath: path })).message).toContain('not valid YAML');
  });
});
