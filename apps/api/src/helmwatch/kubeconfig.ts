import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';
import type { Cluster, Context, User } from '@kubernetes/client-node';
import { CORE_SCHEMA, dump, load } from 'js-yaml';
import { type ZodIssue, z } from 'zod';
import { AppError } from '../common/app-error.js';

/**
 * A Sovereign's kubeconfig reduced to what Catalyst accepts: one cluster reached over https at an
 * address of that Sovereign and pinned to an inline CA, one user with an inline bearer token or an
 * inline client certificate. Nothing in it can name a file, a command, a proxy or another server.
 */
export interface SovereignKubeconfig {
  cluster: { name: string; server: string; caData: string };
  user: { name: string } & ({ token: string } | { certData: string; keyData: string });
  context: { name: string; namespace?: string };
}

/** Where a deployment's kube-apiserver may be: its addresses and name, and the port it listens on. */
export interface KubeApiEndpoint {
  hosts: string[];
  port: number;
}

export type KubeconfigIssue = { path: string; message: string };

/** A kubeconfig Catalyst will not use; `issues` name every offending field (e.g. `users[0].user.exec`). */
export class InvalidKubeconfigError extends AppError {
  constructor(readonly issues: KubeconfigIssue[]) {
    const [first] = issues;
    super(
      422,
      'invalid_kubeconfig',
      `The kubeconfig is refused: ${first ? `${first.path}: ${first.message}` : 'it is not a kubeconfig'}`,
      { issues },
    );
  }
}

/** A kubeconfig has no use for aliases or deep nesting; refusing them keeps parsing cheap. */
const YAML_LIMITS = { schema: CORE_SCHEMA, maxAliases: 0, maxDepth: 16 } as const;

/** Why a field that client-node would honour is refused: each one reaches outside the posted text. */
const REFUSED_FIELDS: Record<string, string> = {
  exec: 'runs a command on the Catalyst api: not accepted',
  'auth-provider': 'reads credentials from files or other services: not accepted',
  tokenFile: 'reads a file on the Catalyst api: not accepted',
  'client-certificate': 'a file path: send client-certificate-data instead',
  'client-key': 'a file path: send client-key-data instead',
  'certificate-authority': 'a file path: send certificate-authority-data instead',
  'insecure-skip-tls-verify': 'the server must be verified against certificate-authority-data',
  'proxy-url': 'a Sovereign is reached directly, never through a proxy',
  'tls-server-name': 'the server is verified under its own address',
  username: 'basic authentication is not accepted: use a token or a client certificate',
  password: 'basic authentication is not accepted: use a token or a client certificate',
  as: 'impersonation is not accepted',
  'as-uid': 'impersonation is not accepted',
  'as-groups': 'impersonation is not accepted',
  'as-user-extra': 'impersonation is not accepted',
  extensions: 'extensions are not accepted',
};

const name = z.string().min(1).max(253);
/** Printable ASCII only: it becomes an Authorization header. */
const token = z
  .string()
  .max(8192)
  .regex(/^[\x21-\x7e]+$/, { message: 'must be a bearer token (printable characters, no spaces)' });
const base64 = z
  .string()
  .max(64 * 1024)
  .regex(/^[A-Za-z0-9+/]+={0,2}$/, { message: 'must be base64 data' });

/** The document's shape; the server is checked here too, so it is named even beside other faults. */
const kubeconfigShape = (servers: string[]) =>
  z.strictObject({
    apiVersion: z.literal('v1').optional(),
    kind: z.literal('Config').optional(),
    preferences: z.strictObject({}).optional(),
    clusters: z
      .array(
        z.strictObject({
          name,
          cluster: z.strictObject({
            server: z.string().refine((server) => servers.includes(server), {
              message: `must be this Sovereign's API: one of ${servers.join(', ')}`,
            }),
            'certificate-authority-data': base64.refine((data) => certificateIn(data) !== undefined, {
              message: 'must be a base64-encoded PEM certificate',
            }),
          }),
        }),
      )
      .length(1, { message: 'must hold exactly one cluster' }),
    users: z
      .array(
        z.strictObject({
          name,
          user: z.strictObject({
            token: token.optional(),
            'client-certificate-data': base64.optional(),
            'client-key-data': base64.optional(),
          }),
        }),
      )
      .length(1, { message: 'must hold exactly one user' }),
    contexts: z
      .array(
        z.strictObject({
          name,
          context: z.strictObject({
            cluster: name,
            user: name,
            namespace: z
              .string()
              .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, { message: 'must be a namespace name' })
              .optional(),
          }),
        }),
      )
      .length(1, { message: 'must hold exactly one context' }),
    'current-context': name.optional(),
  });

/** `users[0].user.exec` from zod's path segments. */
function pathOf(segments: readonly PropertyKey[]): string {
  return segments
    .map((segment, i) =>
      typeof segment === 'number' ? `[${segment}]` : `${i === 0 ? '' : '.'}${String(segment)}`,
    )
    .join('');
}

function issuesOf(zodIssues: readonly ZodIssue[]): KubeconfigIssue[] {
  return zodIssues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: pathOf([...issue.path, key]),
        message: REFUSED_FIELDS[key] ?? 'not a field Catalyst accepts in a Sovereign kubeconfig',
      }));
    }
    return [{ path: pathOf(issue.path) || '(document)', message: issue.message }];
  });
}

function decodePem(data: string): string {
  return Buffer.from(data, 'base64').toString('utf8').trim();
}

function certificateIn(data: string): X509Certificate | undefined {
  const pem = decodePem(data);
  if (!pem.startsWith('-----BEGIN CERTIFICATE-----')) return undefined;
  try {
    return new X509Certificate(pem);
  } catch {
    return undefined;
  }
}

function privateKeyIn(data: string): KeyObject | undefined {
  const pem = decodePem(data);
  if (!/^-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem)) return undefined;
  try {
    return createPrivateKey(pem);
  } catch {
    return undefined;
  }
}

/** The exact server URLs a Sovereign's kubeconfig may name. */
export function allowedServers(endpoint: KubeApiEndpoint): string[] {
  return [
    ...new Set(endpoint.hosts.filter(Boolean).map((h) => `https://${h.toLowerCase()}:${endpoint.port}`)),
  ];
}

/**
 * Parses a posted or stored kubeconfig under the rules above; throws InvalidKubeconfigError naming
 * every offending field. Pure: it reads no file, runs nothing and contacts nobody.
 */
export function parseSovereignKubeconfig(text: string, endpoint: KubeApiEndpoint): SovereignKubeconfig {
  let document: unknown;
  try {
    document = load(text, YAML_LIMITS);
  } catch {
    // The parser's message quotes the text, which holds credentials.
    throw new InvalidKubeconfigError([{ path: '(document)', message: 'is not valid YAML' }]);
  }
  const parsed = kubeconfigShape(allowedServers(endpoint)).safeParse(document);
  if (!parsed.success) throw new InvalidKubeconfigError(issuesOf(parsed.error.issues));
  const [clusterEntry] = parsed.data.clusters;
  const [userEntry] = parsed.data.users;
  const [contextEntry] = parsed.data.contexts;
  if (!clusterEntry || !userEntry || !contextEntry) throw new InvalidKubeconfigError([]);

  const issues: KubeconfigIssue[] = [];
  const user = userEntry.user;
  const certData = user['client-certificate-data'];
  const keyData = user['client-key-data'];
  const hasCertificate = certData !== undefined || keyData !== undefined;
  if (user.token !== undefined && hasCertificate) {
    issues.push({ path: 'users[0].user', message: 'must hold a token or a client certificate, not both' });
  } else if (user.token === undefined && !hasCertificate) {
    issues.push({
      path: 'users[0].user',
      message: 'must hold a token, or client-certificate-data with client-key-data',
    });
  } else if (hasCertificate) {
    const certificate = certData === undefined ? undefined : certificateIn(certData);
    const key = keyData === undefined ? undefined : privateKeyIn(keyData);
    if (!certificate)
      issues.push({
        path: 'users[0].user.client-certificate-data',
        message: 'must be a base64-encoded PEM certificate',
      });
    if (!key)
      issues.push({
        path: 'users[0].user.client-key-data',
        message: 'must be a base64-encoded, unencrypted PEM private key',
      });
    if (certificate && key && !certificate.checkPrivateKey(key))
      issues.push({
        path: 'users[0].user.client-key-data',
        message: 'is not the key of client-certificate-data',
      });
  }
  const { context } = contextEntry;
  if (context.cluster !== clusterEntry.name)
    issues.push({
      path: 'contexts[0].context.cluster',
      message: `must name the cluster "${clusterEntry.name}"`,
    });
  if (context.user !== userEntry.name)
    issues.push({ path: 'contexts[0].context.user', message: `must name the user "${userEntry.name}"` });
  const current = parsed.data['current-context'];
  if (current !== undefined && current !== contextEntry.name)
    issues.push({ path: 'current-context', message: `must name the context "${contextEntry.name}"` });
  if (issues.length) throw new InvalidKubeconfigError(issues);

  return {
    cluster: {
      name: clusterEntry.name,
      server: clusterEntry.cluster.server,
      caData: clusterEntry.cluster['certificate-authority-data'],
    },
    user:
      user.token !== undefined
        ? { name: userEntry.name, token: user.token }
        : { name: userEntry.name, certData: certData as string, keyData: keyData as string },
    context: {
      name: contextEntry.name,
      ...(context.namespace ? { namespace: context.namespace } : {}),
    },
  };
}

/** The kubeconfig as stored and downloaded: exactly the accepted fields, nothing carried over. */
export function serializeKubeconfig(config: SovereignKubeconfig): string {
  const { cluster, user, context } = config;
  return dump({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: cluster.name,
        cluster: { server: cluster.server, 'certificate-authority-data': cluster.caData },
      },
    ],
    users: [
      {
        name: user.name,
        user:
          'token' in user
            ? { token: user.token }
            : { 'client-certificate-data': user.certData, 'client-key-data': user.keyData },
      },
    ],
    contexts: [
      {
        name: context.name,
        context: {
          cluster: cluster.name,
          user: user.name,
          ...(context.namespace ? { namespace: context.namespace } : {}),
        },
      },
    ],
    'current-context': context.name,
  });
}

/** The options for client-node's `KubeConfig.loadFromOptions`: built from fields, never from text. */
export function kubeConfigOptions(config: SovereignKubeconfig): {
  clusters: Cluster[];
  users: User[];
  contexts: Context[];
  currentContext: string;
} {
  const { cluster, user, context } = config;
  return {
    clusters: [{ name: cluster.name, server: cluster.server, caData: cluster.caData, skipTLSVerify: false }],
    users: [
      'token' in user
        ? { name: user.name, token: user.token }
        : { name: user.name, certData: user.certData, keyData: user.keyData },
    ],
    contexts: [
      {
        name: context.name,
        cluster: cluster.name,
        user: user.name,
        ...(context.namespace ? { namespace: context.namespace } : {}),
      },
    ],
    currentContext: context.name,
  };
}
