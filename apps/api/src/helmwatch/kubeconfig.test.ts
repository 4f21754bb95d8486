import { KubeConfig } from '@kubernetes/client-node';
import { dump, load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { selfSignedCertificate } from '../../test/fixtures/kube/self-signed.js';
import {
  InvalidKubeconfigError,
  kubeConfigOptions,
  parseSovereignKubeconfig,
  serializeKubeconfig,
} from './kubeconfig.js';

const endpoint = { hosts: ['203.0.113.10', '198.51.100.7', 'omantel.omani.works'], port: 6443 };
const b64 = (text: string) => Buffer.from(text).toString('base64');
const ca = selfSignedCertificate(['203.0.113.10']);
const client = selfSignedCertificate(['system:admin']);

type Doc = Record<string, unknown> & {
  clusters: { name: string; cluster: Record<string, unknown> }[];
  users: { name: string; user: Record<string, unknown> }[];
  contexts: { name: string; context: Record<string, unknown> }[];
};

/** The kubeconfig k3s writes (/etc/rancher/k3s/k3s.yaml), pointed at the load balancer as cloud-init does. */
function k3sKubeconfig(): Doc {
  return {
    apiVersion: 'v1',
    clusters: [
      {
        name: 'default',
        cluster: { 'certificate-authority-data': b64(ca.cert), server: 'https://203.0.113.10:6443' },
      },
    ],
    contexts: [{ name: 'default', context: { cluster: 'default', user: 'default' } }],
    'current-context': 'default',
    kind: 'Config',
    preferences: {},
    users: [
      {
        name: 'default',
        user: { 'client-certificate-data': b64(client.cert), 'client-key-data': b64(client.key) },
      },
    ],
  };
}

function refusal(doc: Doc | string): InvalidKubeconfigError {
  try {
    parseSovereignKubeconfig(typeof doc === 'string' ? doc : dump(doc), endpoint);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidKubeconfigError);
    return error as InvalidKubeconfigError;
  }
  throw new Error('the kubeconfig was accepted');
}

function refusedPaths(doc: Doc | string): string[] {
  return refusal(doc).issues.map((issue) => issue.path);
}

function withUser(user: Record<string, unknown>): Doc {
  const doc = k3sKubeconfig();
  (doc.users[0] as Doc['users'][number]).user = user;
  return doc;
}

function withCluster(patch: Record<string, unknown>): Doc {
  const doc = k3sKubeconfig();
  const entry = doc.clusters[0] as Doc['clusters'][number];
  entry.cluster = { ...entry.cluster, ...patch };
  return doc;
}

describe('parseSovereignKubeconfig', () => {
  it("accepts k3s's own kubeconfig pointed at the load balancer, and keeps exactly its fields", () => {
    const parsed = parseSovereignKubeconfig(dump(k3sKubeconfig()), endpoint);
    expect(parsed).toEqual({
      cluster: { name: 'default', server: 'https://203.0.113.10:6443', caData: b64(ca.cert) },
      user: { name: 'default', certData: b64(client.cert), keyData: b64(client.key) },
      context: { name: 'default' },
    });
    // What is stored and downloaded parses back to the same thing.
    expect(parseSovereignKubeconfig(serializeKubeconfig(parsed), endpoint)).toEqual(parsed);
  });

  it('accepts a bearer token at the control plane address or the fqdn, with a namespace', () => {
    for (const server of ['https://198.51.100.7:6443', 'https://omantel.omani.works:6443']) {
      const doc = withCluster({ server });
      (doc.users[0] as Doc['users'][number]).user = { token: 'abc.def-123' };
      (doc.contexts[0] as Doc['contexts'][number]).context.namespace = 'flux-system';
      const parsed = parseSovereignKubeconfig(dump(doc), endpoint);
      expect(parsed.user).toEqual({ name: 'default', token: 'abc.def-123' });
      expect(parsed.context).toEqual({ name: 'default', namespace: 'flux-system' });
      expect(parsed.cluster.server).toBe(server);
    }
  });

  it.each([
    ['an exec plugin', { exec: { command: '/bin/sh', args: ['-c', 'touch /tmp/x'] } }, 'users[0].user.exec'],
    [
      'an auth provider reading a token file',
      { 'auth-provider': { name: 'oidc', config: { tokenFile: '/etc/shadow' } } },
      'users[0].user.auth-provider',
    ],
    ['a token file', { tokenFile: '/var/run/secrets/token' }, 'users[0].user.tokenFile'],
    [
      'a client certificate path',
      { 'client-certificate': '/etc/ssl/c.pem', 'client-key-data': b64(client.key) },
      'users[0].user.client-certificate',
    ],
    [
      'a client key path',
      { 'client-certificate-data': b64(client.cert), 'client-key': '/etc/ssl/k.pem' },
      'users[0].user.client-key',
    ],
    ['basic authentication', { username: 'admin', password: 'pw' }, 'users[0].user.username'],
    ['impersonation', { token: 'abc', as: 'system:admin' }, 'users[0].user.as'],
  ])('refuses a user with %s, naming the field', (_, user, path) => {
    expect(refusedPaths(withUser(user))).toContain(path);
  });

  it.each([
    [
      'a CA file path',
      { 'certificate-authority': '/etc/ssl/ca.pem' },
      'clusters[0].cluster.certificate-authority',
    ],
    [
      'skipped TLS verification',
      { 'insecure-skip-tls-verify': true },
      'clusters[0].cluster.insecure-skip-tls-verify',
    ],
    ['a proxy', { 'proxy-url': 'http://10.0.0.1:3128' }, 'clusters[0].cluster.proxy-url'],
    ['another TLS server name', { 'tls-server-name': 'evil.example' }, 'clusters[0].cluster.tls-server-name'],
    ['extensions', { extensions: [{ name: 'x', extension: {} }] }, 'clusters[0].cluster.extensions'],
  ])('refuses a cluster with %s, naming the field', (_, patch, path) => {
    expect(refusedPaths(withCluster(patch))).toContain(path);
  });

  it.each([
    'https://192.0.2.1:6443',
    'https://203.0.113.10:443',
    'https://203.0.113.10',
    'http://203.0.113.10:6443',
    'https://203.0.113.10:6443/api',
    'https://user@203.0.113.10:6443',
    'https://omantel.omani.works.evil.example:6443',
    'https://127.0.0.1:6443',
  ])('refuses the server %s', (server) => {
    const error = refusal(withCluster({ server }));
    expect(error.issues.map((i) => i.path)).toEqual(['clusters[0].cluster.server']);
    expect(error.message).toContain('clusters[0].cluster.server');
  });

  it('refuses a CA that is not a PEM certificate, and a cluster without one', () => {
    expect(refusedPaths(withCluster({ 'certificate-authority-data': b64('not a certificate') }))).toEqual([
      'clusters[0].cluster.certificate-authority-data',
    ]);
    const doc = k3sKubeconfig();
    delete (doc.clusters[0] as Doc['clusters'][number]).cluster['certificate-authority-data'];
    expect(refusedPaths(doc)).toEqual(['clusters[0].cluster.certificate-authority-data']);
  });

  it('refuses a user with no credential, with both kinds, or with a key that is not the certificate’s', () => {
    expect(refusedPaths(withUser({}))).toEqual(['users[0].user']);
    expect(
      refusedPaths(
        withUser({
          token: 'abc',
          'client-certificate-data': b64(client.cert),
          'client-key-data': b64(client.key),
        }),
      ),
    ).toEqual(['users[0].user']);
    expect(
      refusedPaths(withUser({ 'client-certificate-data': b64(client.cert), 'client-key-data': b64(ca.key) })),
    ).toEqual(['users[0].user.client-key-data']);
    expect(refusedPaths(withUser({ token: 'has a space' }))).toEqual(['users[0].user.token']);
  });

  it('refuses more than one cluster, user or context, and contexts that name something else', () => {
    const two = k3sKubeconfig();
    two.clusters.push({ name: 'other', cluster: { server: 'https://192.0.2.1:6443' } });
    two.users.push({ name: 'other', user: { exec: { command: 'id' } } });
    expect(refusedPaths(two)).toEqual(expect.arrayContaining(['clusters', 'users']));
    const wrong = k3sKubeconfig();
    (wrong.contexts[0] as Doc['contexts'][number]).context.user = 'someone-else';
    wrong['current-context'] = 'elsewhere';
    expect(refusedPaths(wrong)).toEqual(['contexts[0].context.user', 'current-context']);
  });

  it('refuses unknown top-level fields, YAML that is not a mapping, aliases and invalid YAML', () => {
    expect(refusedPaths({ ...k3sKubeconfig(), extensions: [] })).toEqual(['extensions']);
    expect(refusedPaths('just text')).toEqual(['(document)']);
    expect(refusedPaths('a: &x [1]\nb: *x\n')).toEqual(['(document)']);
    expect(refusedPaths('clusters: [\n')).toEqual(['(document)']);
  });

  it('is a 422 invalid_kubeconfig listing every offending field', () => {
    const doc = withUser({ exec: { command: 'id' }, 'auth-provider': { name: 'gcp' } });
    const error = refusal(withCluster({ 'proxy-url': 'socks5://10.0.0.1:1080' }));
    expect(error.status).toBe(422);
    expect(error.code).toBe('invalid_kubeconfig');
    const issues = refusal(doc).issues.map((i) => i.path);
    expect(issues).toEqual(expect.arrayContaining(['users[0].user.exec', 'users[0].user.auth-provider']));
    expect(refusal(doc).message).toContain('users[0].user.exec');
  });

  it('gives client-node options with the CA pinned and nothing but the accepted credential', () => {
    const kc = new KubeConfig();
    kc.loadFromOptions(kubeConfigOptions(parseSovereignKubeconfig(dump(k3sKubeconfig()), endpoint)));
    expect(kc.getCurrentCluster()).toEqual({
      name: 'default',
      server: 'https://203.0.113.10:6443',
      caData: b64(ca.cert),
      skipTLSVerify: false,
    });
    expect(kc.getCurrentUser()).toEqual({
      name: 'default',
      certData: b64(client.cert),
      keyData: b64(client.key),
    });
    expect(load(serializeKubeconfig(parseSovereignKubeconfig(dump(k3sKubeconfig()), endpoint)))).toEqual({
      ...k3sKubeconfig(),
      preferences: undefined,
    });
  });
});
