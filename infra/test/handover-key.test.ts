// biome-ignore-all lint/suspicious/noTemplateCurlyInString: HCL and Flux placeholders (${…}) are the subject of these tests
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dump, load, loadAll } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../apps/api/src/config/config.js';
import { deriveKeys } from '../../apps/api/src/crypto/keys.js';
import { handoverKeyPairFor, mintHandoverLink } from '../../apps/api/src/deployments/handover-link.js';
import { buildTfvars } from '../../apps/api/src/deployments/tfvars.js';
import { verifyHandoverToken } from '../../apps/api/src/handover/handover-token.js';
import { ensureHelm, runHelm } from '../../charts/test/helpers/helm.js';

/*
 * The way the handover key's public half travels, end to end: tofu.auto.tfvars.json (the api) →
 * cloud-init's postBuild.substitute (HANDOVER_PUBLIC_KEY, jsonencode'd into YAML) → Flux's substitution into
 * the kit's bp-catalyst-platform values → charts/catalyst's container env → the api's configuration.
 */

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const read = (path: string) => readFileSync(join(repoRoot, path), 'utf8');
const keys = deriveKeys('a-secret-key-for-the-handover-key-tests-0123');
const DEPLOYMENT = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const FQDN = 'omantel.omani.works';
const pair = handoverKeyPairFor(keys, DEPLOYMENT);

type Yaml = Record<string, unknown>;
const get = (value: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((v, key) => (v as Yaml | undefined)?.[key], value);

/** What tofu writes for cloud-init's line `HANDOVER_PUBLIC_KEY: ${jsonencode(handover_public_key)}`, as Flux reads it. */
function cloudInitSubstitute(value: string): string {
  const line = read('infra/hetzner/cloudinit-control-plane.tftpl')
    .split('\n')
    .find((l) => l.trim().startsWith('HANDOVER_PUBLIC_KEY:'));
  expect(line?.trim()).toBe('HANDOVER_PUBLIC_KEY: ${jsonencode(handover_public_key)}');
  const rendered = (line ?? '').replace('${jsonencode(handover_public_key)}', JSON.stringify(value));
  return (load(rendered) as { HANDOVER_PUBLIC_KEY: string }).HANDOVER_PUBLIC_KEY;
}

/** Flux's postBuild substitution: `${NAME}` replaced in the text of a resource, which is then parsed again. */
const envsubst = (text: string, vars: Record<string, string>) =>
  text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (whole, name: string) => vars[name] ?? whole);

const KIT_FILE = 'clusters/_template/bootstrap-kit/11-catalyst-platform.yaml';
const isPlatform = (d: unknown) =>
  get(d, 'kind') === 'HelmRelease' && get(d, 'metadata.name') === 'bp-catalyst-platform';

/** The env value of bp-catalyst-platform after Flux substituted `vars`, from the file's text as written. */
function keyAsWritten(vars: Record<string, string>): unknown {
  const docs = loadAll(envsubst(read(KIT_FILE), vars));
  return get(docs.find(isPlatform), 'spec.values.catalyst.env.CATALYST_HANDOVER_PUBLIC_KEY');
}

/** The same after kustomize re-serialised the resource first (its own quoting and line style), as Flux does. */
function keyReserialised(vars: Record<string, string>): unknown {
  const release = loadAll(read(KIT_FILE)).find(isPlatform);
  for (const style of [{}, { lineWidth: -1 }, { forceQuotes: true, quotingType: '"' as const }]) {
    const value = get(
      load(envsubst(dump(release, style), vars)),
      'spec.values.catalyst.env.CATALYST_HANDOVER_PUBLIC_KEY',
    );
    expect(value, JSON.stringify(style)).toBe(keyAsWritten(vars));
  }
  return keyAsWritten(vars);
}

describe('the handover public key from the api to the Sovereign', () => {
  let helm: string;
  let dir: string;
  beforeAll(() => {
    helm = ensureHelm(repoRoot);
    dir = mkdtempSync(join(tmpdir(), 'catalyst-handover-key-'));
  }, 180_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const tfvarsValue = () =>
    buildTfvars({
      deploymentId: DEPLOYMENT,
      fqdn: FQDN,
      orgName: 'Omantel Cloud',
      adminEmail: 'admin@omantel.om',
      hetznerToken: 'x'.repeat(64),
      hetznerProjectId: '1',
      regions: [
        {
          provider: 'hetzner',
          cloudRegion: 'fsn1',
          controlPlaneSize: 'cpx32',
          workerSize: '',
          workerCount: 0,
        },
      ],
      haEnabled: false,
      sshPublicKey: 'ssh-ed25519 AAAA',
      domainMode: 'pool',
      kubeconfigTokens: { fsn1: 'k'.repeat(43) },
      apiUrl: 'https://catalyst.example.org',
      gitopsRepoUrl: 'https://github.com/openova-io/openova',
      gitopsBranch: 'main',
      components: [],
      handoverPublicKey: pair.publicKeyBase64,
    }).handover_public_key;

  it('reaches the api as the PEM of the deployment key, whatever quoting the YAML gets on the way', () => {
    const substituted = cloudInitSubstitute(tfvarsValue());
    expect(substituted).toBe(pair.publicKeyBase64);
    const vars = { HANDOVER_PUBLIC_KEY: substituted, SOVEREIGN_FQDN: FQDN };
    const env = keyReserialised(vars);
    expect(env).toBe(pair.publicKeyPem.trim());
    expect(loadConfig({ CATALYST_HANDOVER_PUBLIC_KEY: String(env) }).handover.publicKeyPem).toBe(
      pair.publicKeyPem.trim(),
    );
  });

  it('is set in the container by charts/catalyst, and the Sovereign then accepts a link the api mints', () => {
    const vars = { HANDOVER_PUBLIC_KEY: cloudInitSubstitute(tfvarsValue()), SOVEREIGN_FQDN: FQDN };
    const release = loadAll(envsubst(read(KIT_FILE), vars)).find(isPlatform);
    const values = join(dir, 'values.yaml');
    // bp-catalyst-platform hands its `catalyst:` values to charts/catalyst.
    writeFileSync(values, dump(get(release, 'spec.values.catalyst')));
    const result = runHelm(helm, [
      'template',
      'catalyst',
      join(repoRoot, 'charts/catalyst'),
      '--namespace',
      'catalyst-system',
      '--values',
      values,
    ]);
    expect(result.status, result.stderr).toBe(0);
    const deployment = loadAll(result.stdout).find((d) => get(d, 'kind') === 'Deployment');
    const env = (get(deployment, 'spec.template.spec.containers.0.env') ?? []) as {
      name: string;
      value?: string;
    }[];
    const key = env.find((e) => e.name === 'CATALYST_HANDOVER_PUBLIC_KEY')?.value;
    const config = loadConfig({ CATALYST_HANDOVER_PUBLIC_KEY: key, CATALYST_SOVEREIGN_FQDN: FQDN });
    const link = mintHandoverLink({
      keys,
      deploymentId: DEPLOYMENT,
      fqdn: FQDN,
      adminEmail: 'admin@omantel.om',
      consoleUrl: `https://console.${FQDN}`,
      ttlSeconds: 600,
    });
    const token = new URL(link.url).searchParams.get('token') ?? '';
    expect(
      verifyHandoverToken(token, {
        publicKeyPem: config.handover.publicKeyPem ?? '',
        audience: config.handover.audience ?? '',
      }).sub,
    ).toBe('admin@omantel.om');
    // Another deployment's link is refused by this Sovereign.
    const foreign = mintHandoverLink({
      keys,
      deploymentId: '0f8fad5b-d9cb-469f-a165-70867728950e',
      fqdn: FQDN,
      adminEmail: 'admin@omantel.om',
      consoleUrl: `https://console.${FQDN}`,
      ttlSeconds: 600,
    });
    expect(() =>
      verifyHandoverToken(new URL(foreign.url).searchParams.get('token') ?? '', {
        publicKeyPem: config.handover.publicKeyPem ?? '',
        audience: FQDN,
      }),
    ).toThrow(/bad_signature/);
  });
});
