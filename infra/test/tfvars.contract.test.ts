// biome-ignore-all lint/suspicious/noTemplateCurlyInString: HCL and Flux placeholders (${…}) are the subject of these tests
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  bootstrapKitReleases,
  defaultSelection,
  findComponent,
  installSet,
  nodeSizes,
  platformVersions,
  providerIds,
  providers,
} from '@catalyst/contracts';
import { parse } from '@cdktf/hcl2json';
import { beforeAll, describe, expect, it } from 'vitest';
import { envSchema } from '../../apps/api/src/config/config.schema.js';
import { deriveKeys } from '../../apps/api/src/crypto/keys.js';
import { handoverKeyPairFor } from '../../apps/api/src/deployments/handover-link.js';
import { k3sJoinToken } from '../../apps/api/src/deployments/run-secrets.js';
import { buildTfvars, type Tfvars, type TfvarsInput } from '../../apps/api/src/deployments/tfvars.js';
import { publicKeyPemFromBase64 } from '../../apps/api/src/handover/handover-token.js';

/*
 * The contract between the api and the OpenTofu module it runs (infra/hetzner) and the Flux tree
 * that module's cloud-init points at (clusters/_template). Parses the real files: the .tf files with
 * the HCL parser, the templates and the kit's YAML with small readers below.
 */

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const moduleDir = join(repoRoot, 'infra/hetzner');
const templateDir = join(repoRoot, 'clusters/_template');
const kitDir = join(templateDir, 'bootstrap-kit');

const read = (path: string) => readFileSync(path, 'utf8');

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

// ---------------------------------------------------------------------------------------------
// HCL: variables and their types
// ---------------------------------------------------------------------------------------------

interface HclValidation {
  condition: string;
  error_message: string;
}
interface HclVariable {
  type?: string;
  description?: string;
  default?: unknown;
  sensitive?: boolean;
  validation?: HclValidation[];
}
// biome-ignore lint/suspicious/noExplicitAny: hcl2json answers untyped JSON
type Hcl = Record<string, any>;

type TfType =
  | { kind: 'string' | 'number' | 'bool' | 'any' }
  | { kind: 'list' | 'set' | 'map'; element: TfType }
  | { kind: 'object'; attributes: Record<string, TfType> };

/** Parses a type constraint as hcl2json renders it: "${list(object({a = string}))}". */
function parseType(source: string): TfType {
  const tokens = source
    .replace(/^\$\{/, '')
    .replace(/\}$/, '')
    .match(/[A-Za-z_][A-Za-z0-9_]*|[(){}=,]/g);
  if (!tokens) throw new Error(`empty type ${source}`);
  let pos = 0;
  const next = () => tokens[pos++];
  const expect_ = (token: string) => {
    const got = next();
    if (got !== token) throw new Error(`type ${source}: expected ${token}, got ${got}`);
  };
  const type = (): TfType => {
    const name = next();
    if (name === 'string' || name === 'number' || name === 'bool' || name === 'any') return { kind: name };
    if (name === 'list' || name === 'set' || name === 'map') {
      expect_('(');
      const element = type();
      expect_(')');
      return { kind: name, element };
    }
    if (name === 'object') {
      expect_('(');
      expect_('{');
      const attributes: Record<string, TfType> = {};
      while (tokens[pos] !== '}') {
        const key = next();
        if (!key) throw new Error(`type ${source}: unterminated object`);
        expect_('=');
        attributes[key] = type();
        if (tokens[pos] === ',') pos++;
      }
      expect_('}');
      expect_(')');
      return { kind: 'object', attributes };
    }
    throw new Error(`type ${source}: unknown type ${name}`);
  };
  const result = type();
  if (pos !== tokens.length) throw new Error(`type ${source}: trailing tokens`);
  return result;
}

/** Problems of a JSON value against a type; objects must carry exactly the declared attributes. */
function typeProblems(value: unknown, type: TfType, path: string): string[] {
  switch (type.kind) {
    case 'any':
      return [];
    case 'string':
      return typeof value === 'string' ? [] : [`${path} is not a string`];
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? [] : [`${path} is not a number`];
    case 'bool':
      return typeof value === 'boolean' ? [] : [`${path} is not a bool`];
    case 'list':
    case 'set':
      return Array.isArray(value)
        ? value.flatMap((item, i) => typeProblems(item, type.element, `${path}[${i}]`))
        : [`${path} is not a list`];
    case 'map':
      return isRecord(value)
        ? Object.entries(value).flatMap(([k, v]) => typeProblems(v, type.element, `${path}.${k}`))
        : [`${path} is not a map`];
    case 'object': {
      if (!isRecord(value)) return [`${path} is not an object`];
      const declared = Object.keys(type.attributes).sort();
      const given = Object.keys(value).sort();
      const problems = [
        ...declared.filter((k) => !given.includes(k)).map((k) => `${path}.${k} is missing`),
        ...given.filter((k) => !declared.includes(k)).map((k) => `${path}.${k} is not declared`),
      ];
      for (const [k, t] of Object.entries(type.attributes)) {
        if (k in value) problems.push(...typeProblems(value[k], t, `${path}.${k}`));
      }
      return problems;
    }
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// ---------------------------------------------------------------------------------------------
// A small evaluator for the validation conditions this module uses. Three-valued: an expression it
// does not understand is `undefined`, so a test can only pass on what was really evaluated.
// ---------------------------------------------------------------------------------------------

type Env = { vars: Record<string, unknown>; locals: Record<string, unknown> };
type Tri = boolean | undefined;
const UNKNOWN = Symbol('unknown');

/** Splits at a top-level operator (outside parentheses, brackets, braces and strings). */
function splitTop(expr: string, op: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let inString = false;
  let start = 0;
  for (let i = 0; i < expr.length; i++) {
    const ch = expr[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    else if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') depth--;
    else if (depth === 0 && expr.startsWith(op, i)) {
      parts.push(expr.slice(start, i).trim());
      start = i + op.length;
      i += op.length - 1;
    }
  }
  parts.push(expr.slice(start).trim());
  return parts;
}

const hclString = (literal: string): string => JSON.parse(`"${literal}"`) as string;
/** RE2 (Go) to JavaScript for the constructs used here. */
const toJsRegex = (re2: string) => new RegExp(re2.replaceAll('[[:cntrl:]]', '[\\x00-\\x1f\\x7f]'));

function term(expr: string, env: Env): unknown {
  const e = expr.trim();
  if (/^-?\d+(\.\d+)?$/.test(e)) return Number(e);
  const str = /^"((?:[^"\\]|\\.)*)"$/.exec(e);
  if (str?.[1] !== undefined) return hclString(str[1]);
  const fn = /^(length|trimspace|floor|keys|values|distinct)\(([\s\S]*)\)$/.exec(e);
  if (fn?.[1] && fn[2] !== undefined && splitTop(fn[2], ')').length === 1) {
    const arg = term(fn[2], env);
    if (arg === UNKNOWN) return UNKNOWN;
    if (fn[1] === 'length') {
      if (isRecord(arg)) return Object.keys(arg).length;
      return typeof arg === 'string' || Array.isArray(arg) ? arg.length : UNKNOWN;
    }
    if (fn[1] === 'keys') return isRecord(arg) ? Object.keys(arg).sort() : UNKNOWN;
    if (fn[1] === 'values')
      return isRecord(arg)
        ? Object.keys(arg)
            .sort()
            .map((k) => arg[k])
        : UNKNOWN;
    if (fn[1] === 'distinct') return Array.isArray(arg) ? [...new Set(arg)] : UNKNOWN;
    if (fn[1] === 'trimspace') return typeof arg === 'string' ? arg.trim() : UNKNOWN;
    return typeof arg === 'number' ? Math.floor(arg) : UNKNOWN;
  }
  // [for x in LIST : TERM]
  const list = /^\[for ([a-z_][a-z0-9_]*) in (.+?) : ([\s\S]+)\]$/.exec(e);
  if (list?.[1] && list[2] && list[3]) {
    const items = term(list[2], env);
    if (!Array.isArray(items)) return UNKNOWN;
    const name = list[1];
    const body = list[3];
    const values = items.map((item) => term(body, { ...env, locals: { ...env.locals, [name]: item } }));
    return values.includes(UNKNOWN) ? UNKNOWN : values;
  }
  const ref = /^(var\.)?([a-z_][a-z0-9_]*)(?:\.([a-z_][a-z0-9_]*))?$/.exec(e);
  if (ref?.[2]) {
    const base = ref[1] ? env.vars[ref[2]] : env.locals[ref[2]];
    if (base === undefined) return UNKNOWN;
    if (!ref[3]) return base;
    return isRecord(base) && ref[3] in base ? base[ref[3]] : UNKNOWN;
  }
  return UNKNOWN;
}

function evaluate(expr: string, env: Env): Tri {
  const e = expr
    .trim()
    .replace(/^\$\{([\s\S]*)\}$/, '$1')
    .trim();
  const ors = splitTop(e, '||');
  if (ors.length > 1) {
    const values = ors.map((part) => evaluate(part, env));
    return values.includes(true) ? true : values.every((v) => v === false) ? false : undefined;
  }
  const ands = splitTop(e, '&&');
  if (ands.length > 1) {
    const values = ands.map((part) => evaluate(part, env));
    return values.includes(false) ? false : values.every((v) => v === true) ? true : undefined;
  }
  if (e.startsWith('!')) {
    const inner = evaluate(e.slice(1), env);
    return inner === undefined ? undefined : !inner;
  }
  const paren = /^\(([\s\S]*)\)$/.exec(e);
  if (paren?.[1] && splitTop(paren[1], ')').length === 1) return evaluate(paren[1], env);

  const regex = /^can\(regex\("((?:[^"\\]|\\.)*)",\s*(.+)\)\)$/.exec(e);
  if (regex?.[1] !== undefined && regex[2]) {
    const value = term(regex[2], env);
    return typeof value === 'string' ? toJsRegex(hclString(regex[1])).test(value) : undefined;
  }
  const contains = /^contains\((\[[^\]]*\]),\s*(.+)\)$/.exec(e);
  if (contains?.[1] && contains[2]) {
    const value = term(contains[2], env);
    return value === UNKNOWN ? undefined : (JSON.parse(contains[1]) as unknown[]).includes(value);
  }
  const all = /^alltrue\(\[for ([a-z_][a-z0-9_]*) in (.+?) : ([\s\S]+)\]\)$/.exec(e);
  if (all?.[1] && all[2] && all[3]) {
    const items = term(all[2], env);
    if (!Array.isArray(items)) return undefined;
    const name = all[1];
    const body = all[3];
    const values = items.map((item) => evaluate(body, { ...env, locals: { ...env.locals, [name]: item } }));
    return values.includes(false) ? false : values.every((v) => v === true) ? true : undefined;
  }
  for (const op of ['==', '!=', '>=', '<=', '>', '<']) {
    const sides = splitTop(e, op);
    if (sides.length !== 2 || !sides[0] || !sides[1]) continue;
    const a = term(sides[0], env);
    const b = term(sides[1], env);
    if (a === UNKNOWN || b === UNKNOWN) return undefined;
    if (op === '==') return a === b;
    if (op === '!=') return a !== b;
    if (typeof a !== 'number' || typeof b !== 'number') return undefined;
    return op === '>=' ? a >= b : op === '<=' ? a <= b : op === '>' ? a > b : a < b;
  }
  return undefined;
}

/** Whether every validation of `name` holds for `value` (undefined: one could not be evaluated). */
function validates(variable: HclVariable, name: string, value: unknown): Tri {
  const results = (variable.validation ?? []).map((v) =>
    evaluate(v.condition, { vars: { [name]: value }, locals: {} }),
  );
  return results.includes(false) ? false : results.every((r) => r === true) ? true : undefined;
}

// ---------------------------------------------------------------------------------------------
// Templates (.tftpl) and templatefile() calls
// ---------------------------------------------------------------------------------------------

/** The contents of every ${…} and %{…} sequence ($${ and %%{ are escapes, not sequences). */
function templateSequences(text: string): string[] {
  const found: string[] = [];
  for (let i = 0; i < text.length - 1; i++) {
    const ch = text[i];
    if ((ch !== '$' && ch !== '%') || text[i + 1] !== '{') continue;
    if (text[i - 1] === ch) continue;
    let depth = 0;
    let inString = false;
    let j = i + 1;
    for (; j < text.length; j++) {
      const c = text[j];
      if (inString) {
        if (c === '\\') j++;
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
      else if (c === '{') depth++;
      else if (c === '}' && --depth === 0) break;
    }
    found.push(text.slice(i + 2, j));
    i = j;
  }
  return found;
}

const TEMPLATE_KEYWORDS = new Set(['if', 'else', 'endif', 'for', 'endfor', 'in', 'true', 'false', 'null']);

/** Names a template reads from its variables (not functions, attributes, object keys or strings). */
function templateVariables(text: string): Set<string> {
  const names = new Set<string>();
  for (const sequence of templateSequences(text)) {
    const code = sequence.replace(/"(?:[^"\\]|\\.)*"/g, '""');
    for (const match of code.matchAll(/(?<![\w.])([A-Za-z_][A-Za-z0-9_]*)\b(?!\s*\()(?!\s*=(?!=))/g)) {
      if (match[1] && !TEMPLATE_KEYWORDS.has(match[1])) names.add(match[1]);
    }
  }
  return names;
}

/** The keys of the object passed to templatefile("${path.module}/<file>", {…}) in an expression. */
function templatefileArgs(expression: string, file: string): string[] {
  const start = expression.indexOf(`templatefile("\${path.module}/${file}"`);
  if (start < 0) return [];
  const open = expression.indexOf('{', expression.indexOf(',', start));
  let depth = 0;
  let end = open;
  for (; end < expression.length; end++) {
    if (expression[end] === '{') depth++;
    else if (expression[end] === '}' && --depth === 0) break;
  }
  return [...expression.slice(open + 1, end).matchAll(/^\s*([a-z_][a-z0-9_]*)\s*=(?!=)/gm)].flatMap((m) =>
    m[1] ? [m[1]] : [],
  );
}

// ---------------------------------------------------------------------------------------------
// The kit's YAML: multi-document split plus indentation-based field reads (no YAML library here)
// ---------------------------------------------------------------------------------------------

interface KitDoc {
  file: string;
  kind: string;
  name: string;
  namespace: string | undefined;
  lines: string[];
}

const indentOf = (line: string) => line.length - line.trimStart().length;
const meaningful = (line: string) => line.trim() !== '' && !line.trim().startsWith('#');
const unquote = (value: string) => value.trim().replace(/^"(.*)"$/, '$1');

/** The lines under `key:` among lines whose shallowest level holds `key`. */
function block(lines: string[], key: string): string[] | undefined {
  const levels = lines.filter(meaningful).map(indentOf);
  if (levels.length === 0) return undefined;
  const level = Math.min(...levels);
  const at = lines.findIndex((l) => meaningful(l) && indentOf(l) === level && l.trim().startsWith(`${key}:`));
  if (at < 0) return undefined;
  const out: string[] = [];
  for (const line of lines.slice(at + 1)) {
    if (meaningful(line) && indentOf(line) <= level) break;
    out.push(line);
  }
  return out;
}

function at(lines: string[] | undefined, path: string[]): string[] | undefined {
  return path.reduce<string[] | undefined>(
    (current, key) => (current ? block(current, key) : undefined),
    lines,
  );
}

function scalar(lines: string[] | undefined, path: string[]): string | undefined {
  const parent = path.length > 1 ? at(lines, path.slice(0, -1)) : lines;
  const key = path[path.length - 1];
  if (!parent || !key) return undefined;
  const levels = parent.filter(meaningful).map(indentOf);
  const level = Math.min(...levels);
  const line = parent.find((l) => meaningful(l) && indentOf(l) === level && l.trim().startsWith(`${key}:`));
  return line === undefined ? undefined : unquote(line.trim().slice(key.length + 1));
}

function kitDocs(file: string): KitDoc[] {
  return read(file)
    .split(/^---\s*$/m)
    .map((text) => text.split('\n'))
    .filter((lines) => lines.some(meaningful))
    .map((lines) => ({
      file: relative(repoRoot, file),
      kind: scalar(lines, ['kind']) ?? '',
      name: scalar(lines, ['metadata', 'name']) ?? '',
      namespace: scalar(lines, ['metadata', 'namespace']),
      lines,
    }));
}

const listItems = (lines: string[] | undefined) =>
  (lines ?? []).filter((l) => l.trim().startsWith('- ')).map((l) => unquote(l.trim().slice(2)));
const dependsOn = (doc: KitDoc) =>
  listItems(at(doc.lines, ['spec', 'dependsOn'])).map((item) => item.replace(/^name:\s*/, ''));
const placeholders = (text: string) =>
  new Set(
    [...text.matchAll(/(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)(?::=[^}]*)?\}/g)].flatMap((m) =>
      m[1] ? [m[1]] : [],
    ),
  );

// ---------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------

const realisticInput: TfvarsInput = {
  deploymentId: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
  fqdn: 'omantel.omani.works',
  orgName: 'Omantel Cloud',
  adminEmail: 'admin@omantel.om',
  hetznerToken: 'aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5bC7dE9fG1hJ3kL5mN7pQ9rS1tU3v',
  hetznerProjectId: '1234567',
  regions: [
    {
      provider: 'hetzner',
      cloudRegion: 'fsn1',
      controlPlaneSize: 'cpx32',
      workerSize: 'cpx42',
      workerCount: 2,
    },
  ],
  haEnabled: false,
  sshPublicKey:
    'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGx8sRkq1vXr0m2c3d4e5f6g7h8i9j0k1l2m3n4o5p6q admin@omantel',
  domainMode: 'pool',
  kubeconfigTokens: { fsn1: randomBytes(32).toString('base64url') },
  apiUrl: 'https://catalyst.openova.io',
  gitopsRepoUrl: 'https://github.com/openova-io/openova',
  gitopsBranch: 'main',
  components: installSet(defaultSelection()),
  handoverPublicKey: handoverKeyPairFor(deriveKeys('a-secret-key-for-the-contract-tests-0123'), 'd')
    .publicKeyBase64,
};

const variants: [string, TfvarsInput][] = [
  ['single node, default selection', realisticInput],
  [
    'HA, two regions (one without workers), byo-api, mandatory components only',
    {
      ...realisticInput,
      fqdn: 'cloud.example-bank.com',
      haEnabled: true,
      domainMode: 'byo-api',
      regions: [
        {
          provider: 'hetzner',
          cloudRegion: 'hel1',
          controlPlaneSize: 'ccx23',
          workerSize: '',
          workerCount: 0,
        },
        {
          provider: 'hetzner',
          cloudRegion: 'ash',
          controlPlaneSize: 'cpx31',
          workerSize: 'cpx41',
          workerCount: 3,
        },
      ],
      kubeconfigTokens: {
        ash: randomBytes(32).toString('base64url'),
        hel1: randomBytes(48).toString('base64'),
      },
      sshPublicKey: `ecdsa-sha2-nistp384 ${'A'.repeat(120)}= ops@bank`,
      apiUrl: 'http://localhost:8080',
      components: installSet([]),
    },
  ],
  [
    'five regions, every Hetzner location',
    {
      ...realisticInput,
      regions: ['nbg1', 'fsn1', 'hel1', 'ash', 'hil'].map((cloudRegion, i) => ({
        provider: 'hetzner',
        cloudRegion,
        controlPlaneSize: 'cpx32',
        workerSize: i % 2 ? 'cax31' : '',
        workerCount: i % 2 ? 50 : 0,
      })),
      kubeconfigTokens: Object.fromEntries(
        ['nbg1', 'fsn1', 'hel1', 'ash', 'hil'].map((r) => [r, randomBytes(32).toString('hex')]),
      ),
    },
  ],
];

const primaryRegion = buildTfvars(realisticInput).regions[0] as Tfvars['regions'][number];

/** Values each validated variable must refuse (a validation block evaluates to false). */
const rejected: Record<string, unknown[]> = {
  deployment_id: ['', '-leading', 'has space', 'x'.repeat(64)],
  sovereign_fqdn: [
    'Omantel.omani.works',
    'localhost',
    'a..b.com',
    'omantel.omani.works.',
    '-x.example.com',
    'example.123',
    `${'a'.repeat(64)}.example.com`,
    `${'abcdefghij.'.repeat(23)}com`,
  ],
  org_name: ['', '   ', 'x'.repeat(101), 'two\nlines'],
  admin_email: ['admin', 'admin@', '@example.com', 'a b@example.com', 'a"b@example.com'],
  hcloud_token: ['short', 'x'.repeat(63), `${'a'.repeat(63)}!`],
  hcloud_project_id: ['', 'abc', '12a'],
  regions: [
    [],
    ['fsn1', 'nbg1', 'hel1', 'ash', 'hil', 'fsn1'].map((r) => ({ ...primaryRegion, cloud_region: r })),
    // Other providers have no module (the api answers 422 before tofu runs).
    [{ ...primaryRegion, provider: 'gcp' }],
    [{ ...primaryRegion, provider: 'aws' }],
    [primaryRegion, { ...primaryRegion, provider: 'huawei', cloud_region: 'hel1' }],
    // Locations: only Hetzner's, exactly spelled.
    ...['sin', 'eu-central', 'FSN1', '', 'eu-central-1'].map((r) => [{ ...primaryRegion, cloud_region: r }]),
    // Unique.
    [primaryRegion, { ...primaryRegion }],
    [primaryRegion, { ...primaryRegion, cloud_region: 'nbg1' }, { ...primaryRegion }],
    // Sizes.
    ...['', 'm5.large', 'cpx', 'CPX32'].map((size) => [{ ...primaryRegion, control_plane_size: size }]),
    ...['m5.large', 'big'].map((size) => [{ ...primaryRegion, worker_size: size }]),
    [{ ...primaryRegion, worker_size: '', worker_count: 1 }],
    [primaryRegion, { ...primaryRegion, cloud_region: 'ash', worker_size: '', worker_count: 3 }],
    // Worker counts.
    ...[-1, 51, 1.5].map((count) => [{ ...primaryRegion, worker_count: count }]),
  ],
  ssh_public_key: [
    '',
    'ssh-dss AAAAB3NzaC1kc3MAAACBAPxxxxxxxxxxxxxxxxxxxxxxxx',
    'ssh-ed25519',
    'ssh-ed25519 short',
  ],
  domain_mode: ['byo', 'manual', ''],
  kubeconfig_bearer_tokens: [
    {},
    { fsn1: '' },
    { fsn1: 'short' },
    { fsn1: 'has space has space has space has space' },
    { fsn1: 'k'.repeat(43), nbg1: 'short' },
    // Keyed by region, not by anything else.
    { 'eu-central-1': 'k'.repeat(43) },
    { FSN1: 'k'.repeat(43) },
  ],
  catalyst_api_url: [
    'ftp://x.example',
    'https://api.example.com/',
    'api.example.com',
    'https://x.example?y=1',
  ],
  gitops_repo_url: ['git@github.com:a/b.git', 'github.com/a/b'],
  gitops_branch: ['', 'a..b', 'has space'],
  k3s_version: ['1.31.4+k3s1', 'v1.31.4', 'latest'],
  cilium_version: ['v1.16.5', '1.16', 'latest'],
  flux_version: ['v2.4.0', '2.4', 'latest'],
  components: [['Bad Id'], ['-x'], Array.from({ length: 201 }, (_, i) => `c${i}`)],
  handover_public_key: [
    '',
    // The PEM itself (lines and all), an RSA key's body, a truncated key, a non-canonical last character.
    publicKeyPemFromBase64(realisticInput.handoverPublicKey),
    'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA',
    realisticInput.handoverPublicKey.slice(0, -2),
    `${realisticInput.handoverPublicKey.slice(0, -2)}B=`,
  ],
};

// ---------------------------------------------------------------------------------------------

let hcl: { variable: Record<string, HclVariable>; resource: Hcl; locals: Hcl; output: Hcl; terraform: Hcl[] };
let variables: Record<string, HclVariable>;

beforeAll(async () => {
  const parsed = await Promise.all(
    readdirSync(moduleDir)
      .filter((name) => name.endsWith('.tf'))
      .map((name) => parse(name, read(join(moduleDir, name)))),
  );
  const merged: typeof hcl = { variable: {}, resource: {}, locals: {}, output: {}, terraform: [] };
  for (const file of parsed) {
    for (const [name, blocks] of Object.entries((file.variable ?? {}) as Record<string, HclVariable[]>)) {
      expect(merged.variable[name], `variable ${name} declared twice`).toBeUndefined();
      expect(blocks).toHaveLength(1);
      merged.variable[name] = blocks[0] as HclVariable;
    }
    for (const [type, byName] of Object.entries((file.resource ?? {}) as Hcl)) {
      merged.resource[type] = { ...merged.resource[type], ...byName };
    }
    for (const block of (file.locals ?? []) as Hcl[]) Object.assign(merged.locals, block);
    for (const [name, blocks] of Object.entries((file.output ?? {}) as Record<string, Hcl[]>)) {
      merged.output[name] = blocks[0];
    }
    merged.terraform.push(...((file.terraform ?? []) as Hcl[]));
  }
  hcl = merged;
  variables = merged.variable;
});

describe('tofu.auto.tfvars.json ↔ infra/hetzner/variables.tf', () => {
  it.each(variants)('writes only declared variables, each of its declared type (%s)', (_, input) => {
    const tfvars = buildTfvars(input);
    for (const [key, value] of Object.entries(tfvars)) {
      const variable = variables[key];
      expect(variable, `tfvars key ${key} is not a declared variable`).toBeDefined();
      expect(variable?.type, `variable ${key} has no type`).toBeTypeOf('string');
      expect(typeProblems(value, parseType(variable?.type ?? ''), key)).toEqual([]);
    }
  });

  it('writes every variable that has no default', () => {
    const written = Object.keys(buildTfvars(realisticInput));
    const required = Object.entries(variables)
      .filter(([, v]) => !('default' in v))
      .map(([name]) => name);
    expect(required.filter((name) => !written.includes(name))).toEqual([]);
  });

  it('types every extra variable and gives it a default that matches its type', () => {
    const written = Object.keys(buildTfvars(realisticInput));
    for (const [name, variable] of Object.entries(variables).filter(([n]) => !written.includes(n))) {
      expect('default' in variable, `${name} is not written by the api, so it needs a default`).toBe(true);
      expect(typeProblems(variable.default, parseType(variable.type ?? ''), name)).toEqual([]);
    }
  });

  it('marks exactly the two secrets sensitive', () => {
    const sensitive = Object.entries(variables)
      .filter(([, v]) => v.sensitive === true)
      .map(([name]) => name)
      .sort();
    expect(sensitive).toEqual(['hcloud_token', 'kubeconfig_bearer_tokens']);
  });

  it('describes and types every variable, and validates every one that is not a bool', () => {
    for (const [name, variable] of Object.entries(variables)) {
      expect(variable.description?.trim().length ?? 0, `${name} has no description`).toBeGreaterThan(10);
      expect(variable.type, `${name} has no type`).toMatch(/^\$\{[\s\S]+\}$/);
      if (variable.type === '${bool}') continue;
      expect(variable.validation?.length ?? 0, `${name} has no validation`).toBeGreaterThan(0);
      for (const v of variable.validation ?? [])
        expect(v.error_message.length, `${name} error message`).toBeGreaterThan(10);
    }
  });

  it.each(variants)('every validation accepts what the api writes (%s)', (_, input) => {
    for (const [name, value] of Object.entries(buildTfvars(input))) {
      const variable = variables[name];
      if (variable) expect(validates(variable, name, value), `${name} = ${JSON.stringify(value)}`).toBe(true);
    }
  });

  it('every validation accepts the defaults of the extra variables', () => {
    for (const [name, variable] of Object.entries(variables)) {
      if ('default' in variable) expect(validates(variable, name, variable.default), name).toBe(true);
    }
  });

  it.each(Object.entries(rejected))('%s refuses bad values', (name, values) => {
    const variable = variables[name];
    expect(variable?.validation?.length, `${name} has no validation`).toBeGreaterThan(0);
    for (const value of values) {
      expect(validates(variable as HclVariable, name, value), `${name} = ${JSON.stringify(value)}`).toBe(
        false,
      );
    }
  });

  it('validates every variable the issue names', () => {
    for (const name of [
      'sovereign_fqdn',
      'admin_email',
      'regions',
      'kubeconfig_bearer_tokens',
      'ssh_public_key',
      'k3s_version',
      'cilium_version',
      'flux_version',
    ]) {
      expect(rejected[name]?.length, `${name} has no bad values in this test`).toBeGreaterThan(0);
    }
  });

  it('accepts every choice the catalog offers for Hetzner, and the catalog offers every region the module accepts', () => {
    const hetzner = providers.find((p) => p.id === 'hetzner');
    const regionIds = hetzner?.regions.map((r) => r.id) ?? [];
    const regions = variables.regions as HclVariable;
    for (const id of regionIds) {
      expect(validates(regions, 'regions', [{ ...primaryRegion, cloud_region: id }]), id).toBe(true);
      expect(
        validates(variables.kubeconfig_bearer_tokens as HclVariable, 'kubeconfig_bearer_tokens', {
          [id]: 'k'.repeat(43),
        }),
        id,
      ).toBe(true);
    }
    const listIn = (name: string, needle: string) =>
      JSON.parse(
        /contains\((\[[^\]]*\])/.exec(
          variables[name]?.validation?.map((v) => v.condition).find((c) => c.includes(needle)) ?? '',
        )?.[1] ?? '[]',
      );
    expect(listIn('regions', 'r.cloud_region)')).toEqual(regionIds);
    expect(listIn('kubeconfig_bearer_tokens', 'keys(')).toEqual(regionIds);
    for (const size of nodeSizes.hetzner) {
      expect(
        validates(regions, 'regions', [{ ...primaryRegion, control_plane_size: size.id }]),
        size.id,
      ).toBe(true);
      expect(validates(regions, 'regions', [{ ...primaryRegion, worker_size: size.id }]), size.id).toBe(true);
    }
    // Only Hetzner has a module; the catalog still lists the other providers (shown, not selectable).
    expect(listIn('regions', 'r.provider')).toEqual(['hetzner']);
    expect(providerIds).toContain('hetzner');
    expect(
      variables.regions?.validation?.find((v) => v.condition.includes('r.provider'))?.error_message,
    ).toMatch(/hetzner/);
  });

  it('accepts every catalog component id in components', () => {
    const every = installSet(defaultSelection().concat(['strongswan', 'litmus', 'syft-grype']));
    expect(validates(variables.components as HclVariable, 'components', every)).toBe(true);
  });
});

describe('infra/hetzner module', () => {
  it('pins the hcloud and tls providers exactly, declares an empty pg backend and no encryption block', () => {
    const terraform = hcl.terraform;
    const providers = terraform.flatMap((t) => (t.required_providers ?? []) as Hcl[]);
    expect(providers).toHaveLength(1);
    expect(Object.keys(providers[0] ?? {}).sort()).toEqual(['hcloud', 'tls']);
    expect(providers[0]?.hcloud?.source).toBe('hetznercloud/hcloud');
    expect(providers[0]?.hcloud?.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(providers[0]?.tls?.source).toBe('hashicorp/tls');
    expect(providers[0]?.tls?.version).toMatch(/^\d+\.\d+\.\d+$/);
    const backends = terraform.flatMap((t) => (t.backend ? [t.backend] : []));
    expect(backends).toEqual([{ pg: [{}] }]);
    expect(terraform.some((t) => 'encryption' in t)).toBe(false);
  });

  it('ships a dependency lock file for exactly the pinned provider versions, with h1: and zh: hashes', async () => {
    const [required] = hcl.terraform.flatMap((t) => (t.required_providers ?? []) as Hcl[]);
    const lock = await parse('.terraform.lock.hcl', read(join(moduleDir, '.terraform.lock.hcl')));
    const pinned = Object.values(required ?? {}) as { source: string; version: string }[];
    expect(Object.keys(lock.provider).sort()).toEqual(
      pinned.map((p) => `registry.opentofu.org/${p.source}`).sort(),
    );
    for (const { source, version } of pinned) {
      const [entry] = lock.provider[`registry.opentofu.org/${source}`] as Hcl[];
      expect(entry?.version, source).toBe(version);
      expect(entry?.constraints, source).toBe(version);
      const hashes = entry?.hashes as string[];
      expect(new Set(hashes).size).toBe(hashes.length);
      for (const hash of hashes) expect(hash).toMatch(/^(h1:[A-Za-z0-9+/]{43}=|zh:[0-9a-f]{64})$/);
      // h1: covers a package's contents (what a mirror or cache holds), zh: the registry's zip of each platform.
      expect(hashes.filter((h) => h.startsWith('h1:')).length, source).toBeGreaterThanOrEqual(1);
      expect(hashes.filter((h) => h.startsWith('zh:')).length, source).toBeGreaterThanOrEqual(1);
    }
  });

  it('outputs what the api reads', () => {
    for (const name of ['regions', 'control_plane_ip', 'load_balancer_ip', 'sovereign_fqdn', 'console_url']) {
      expect(hcl.output[name], `output ${name}`).toBeDefined();
    }
    expect(hcl.output.console_url?.value).toBe('https://console.${var.sovereign_fqdn}');
  });

  it('names every resource catalyst-<slug>[-<region>]-<role> and labels it with the sovereign (and its region)', () => {
    expect(hcl.locals.prefix).toBe('catalyst-${local.slug}');
    expect(hcl.locals.labels).toMatchObject({
      'catalyst.openova.io/sovereign': '${local.sovereign_label}',
      'catalyst.openova.io/deployment': '${var.deployment_id}',
    });
    // Resources without a name or labels in the hcloud provider, and the tls provider's.
    const unnamed = new Set([
      'hcloud_network_subnet',
      'hcloud_load_balancer_network',
      'hcloud_load_balancer_service',
      'hcloud_load_balancer_target',
      'hcloud_floating_ip_assignment',
      'tls_private_key',
      'tls_self_signed_cert',
    ]);
    let named = 0;
    for (const [type, byName] of Object.entries(hcl.resource as Record<string, Record<string, Hcl[]>>)) {
      if (unnamed.has(type)) continue;
      for (const [name, [resource]] of Object.entries(byName) as [string, Hcl[]][]) {
        const label = `${type}.${name}`;
        if (resource?.for_each === undefined) {
          // Shared (the SSH key): the Sovereign's prefix and labels, no region.
          expect(resource?.name, `${label} name`).toMatch(/^\$\{local\.prefix\}-[a-z]+$/);
          expect(String(resource?.labels), `${label} labels`).toBe('${local.labels}');
        } else {
          expect(resource?.name, `${label} name`).toMatch(
            /^(\$\{local\.region_prefixes\[each\.key\]\}-[a-z]+|\$\{each\.value\.name\})$/,
          );
          expect(String(resource?.labels), `${label} labels`).toMatch(
            /local\.region_labels\[(each\.key|each\.value\.region)\]/,
          );
        }
        named++;
      }
    }
    expect(named).toBeGreaterThanOrEqual(8);
  });

  it('opens 80/443/6443 and ICMP, and balances 80→31080, 443→31443 (and 6443 for the kubeconfig) on an lb11', () => {
    expect(hcl.locals.public_tcp_ports).toEqual({ http: 80, https: 443, 'kube-api': 6443 });
    expect(hcl.locals.lb_services).toEqual({
      http: { listen: 80, destination: 31080 },
      https: { listen: 443, destination: 31443 },
      'kube-api': { listen: 6443, destination: 6443 },
    });
    const firewall = hcl.resource.hcloud_firewall.main[0];
    expect(firewall.rule).toEqual(expect.arrayContaining([expect.objectContaining({ protocol: 'icmp' })]));
    expect(hcl.resource.hcloud_load_balancer.main[0].load_balancer_type).toBe('lb11');
    expect(hcl.resource.hcloud_network.main[0].ip_range).toBe('${local.network_cidrs[each.key]}');
    expect(hcl.locals.control_plane_count).toBe('${var.ha_enabled ? 3 : 1}');
  });

  it("derives the k3s join token exactly as the api's redactor mirrors it", () => {
    const expression = String(hcl.locals.k3s_token);
    const template = /^\$\{sha256\("(.*)"\)\}$/.exec(expression)?.[1];
    expect(template, `local.k3s_token = ${expression}`).toBeDefined();
    const [token, fqdn] = ['HcT0k3nExample0123456789', 'omantel.omani.works'];
    const rendered = (template as string)
      .replace('${var.hcloud_token}', token)
      .replace('${var.sovereign_fqdn}', fqdn);
    expect(rendered, 'the module derives it from something the api does not know').not.toContain('${');
    expect(createHash('sha256').update(rendered).digest('hex')).toBe(k3sJoinToken(token, fqdn));
  });

  it('answers the kube-apiserver on the port the api accepts in a posted kubeconfig by default', () => {
    const kubeApi = (hcl.locals.lb_services as Record<string, { listen: number; destination: number }>)[
      'kube-api'
    ];
    expect(envSchema.shape.CATALYST_KUBE_API_PORT.parse(undefined)).toBe(kubeApi?.listen);
    expect(kubeApi?.destination).toBe(kubeApi?.listen);
  });

  it('keeps the label value and server names within Hetzner limits for any fqdn and regions', () => {
    // Mirrors local.slug and local.sovereign_label (see main.tf; the regions test reads the same expressions).
    const slugFor = (fqdn: string, hash: string, regionIds: string[]) => {
      const full = fqdn.replaceAll('.', '-');
      const max = regionIds.length > 1 ? 49 - Math.max(...regionIds.map((r) => r.length)) : 50;
      return full.length <= max ? full : `${full.slice(0, max - 9).replace(/-+$/, '')}-${hash}`;
    };
    const labelFor = (fqdn: string, hash: string) =>
      fqdn.length <= 63 ? fqdn : `${fqdn.slice(0, 54).replace(/[-.]+$/, '')}-${hash}`;
    expect(hcl.locals.slug).toContain('substr(local.slug_full, 0, local.slug_max - 9)');
    expect(hcl.locals.slug_max).toBe('${local.multi_region ? 49 - local.longest_region : 50}');
    expect(hcl.locals.sovereign_label).toContain('substr(var.sovereign_fqdn, 0, 54)');
    const labelValue = /^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/;
    const hostname = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
    for (const fqdn of [
      'omantel.omani.works',
      `${'a'.repeat(63)}.${'b'.repeat(63)}.example.com`,
      `x.${'c'.repeat(60)}.io`,
      `${'d'.repeat(44)}.io`,
    ]) {
      expect(labelFor(fqdn, 'e2e88962')).toMatch(labelValue);
      expect(`catalyst-${slugFor(fqdn, 'e2e88962', ['fsn1'])}-w50`).toMatch(hostname);
      for (const regionIds of [
        ['fsn1', 'ash'],
        ['hil', 'ash'],
        ['nbg1', 'fsn1', 'hel1', 'ash', 'hil'],
      ]) {
        for (const region of regionIds) {
          expect(`catalyst-${slugFor(fqdn, 'e2e88962', regionIds)}-${region}-w50`).toMatch(hostname);
        }
      }
    }
    expect(labelFor('omantel.omani.works', 'x')).toBe('omantel.omani.works');
    // One region: exactly the names of before (a slug of up to 50 characters is kept whole).
    expect(slugFor(`${'e'.repeat(47)}.io`, 'x', ['fsn1'])).toBe(`${'e'.repeat(47)}-io`);
  });
});

describe('cloud-init templates', () => {
  const templates = ['cloudinit-control-plane.tftpl', 'cloudinit-worker.tftpl'];
  const controlPlane = () => read(join(moduleDir, 'cloudinit-control-plane.tftpl'));

  it.each(templates)('%s reads exactly the variables templatefile() passes it', (file) => {
    const expressions = Object.values(hcl.resource.hcloud_server as Record<string, Hcl[]>).map((r) =>
      String(r[0]?.user_data ?? ''),
    );
    const calls = expressions.filter((e) => e.includes(`/${file}"`));
    expect(calls).toHaveLength(1);
    const passed = templatefileArgs(calls[0] ?? '', file).sort();
    expect(passed.length).toBeGreaterThan(3);
    expect([...templateVariables(read(join(moduleDir, file)))].sort()).toEqual(passed);
  });

  it('passes the token and the load balancer address from the right places', () => {
    const userData = String(hcl.resource.hcloud_server.control_plane[0].user_data);
    expect(userData).toMatch(
      /kubeconfig_bearer_token\s*=\s*var\.kubeconfig_bearer_tokens\[each\.value\.region\]\n/,
    );
    expect(userData).toMatch(/catalyst_api_url\s*=\s*var\.catalyst_api_url/);
    expect(userData).toMatch(/deployment_id\s*=\s*var\.deployment_id/);
    expect(userData).toMatch(/lb_ipv4\s*=\s*hcloud_load_balancer\.main\[each\.value\.region\]\.ipv4/);
    expect(userData).toMatch(/flux_version\s*=\s*var\.flux_version/);
  });

  it('PUTs the kubeconfig back with the one-time token, rewritten to the load balancer, with retries', () => {
    const text = controlPlane();
    expect(text).toContain('Authorization: Bearer ${kubeconfig_bearer_token}');
    expect(text).toContain("-H 'Content-Type: application/yaml'");
    expect(text).toContain('--retry 60 --retry-delay 10 --retry-all-errors');
    expect(text).toContain('-X PUT');
    expect(text).toContain("'${catalyst_api_url}/api/v1/deployments/${deployment_id}/kubeconfig'");
    expect(text).toContain("sed 's#https://127.0.0.1:6443#https://${lb_ipv4}:6443#'");
  });

  it('installs k3s, Cilium and Flux at the catalog versions, Cilium before Flux, Flux before the kit', () => {
    const text = controlPlane();
    expect(text).toContain("INSTALL_K3S_VERSION='${k3s_version}'");
    expect(text).toContain("--version '${cilium_version}'");
    expect(text).toContain(
      "'https://github.com/fluxcd/flux2/releases/download/v${flux_version}/install.yaml'",
    );
    const cilium = text.indexOf('helm upgrade --install cilium');
    const flux = text.indexOf('fluxcd/flux2/releases/download');
    const kit = text.indexOf('kubectl apply -f /var/lib/catalyst/flux-bootstrap.yaml');
    expect(cilium).toBeGreaterThan(0);
    expect(flux).toBeGreaterThan(cilium);
    expect(kit).toBeGreaterThan(flux);
    expect(text).toMatch(/flannel-backend: none/);
    expect(text).toMatch(/- servicelb/);
    expect(text).toContain('storageclass.kubernetes.io/is-default-class":"true"');
    expect(read(join(moduleDir, 'cloudinit-worker.tftpl'))).toContain("INSTALL_K3S_VERSION='${k3s_version}'");
  });

  it('hard-codes no version anywhere in the module, the templates or the kit', () => {
    const files = [
      ...readdirSync(moduleDir).map((n) => join(moduleDir, n)),
      ...filesUnder(templateDir),
    ].filter((path) => /\.(tf|tftpl|ya?ml|md)$/.test(path));
    for (const path of files) {
      const text = read(path);
      for (const version of Object.values(platformVersions)) {
        expect(text.includes(version), `${relative(repoRoot, path)} contains ${version}`).toBe(false);
        expect(
          text.includes(version.replace(/^v/, '').replace(/\+.*$/, '')),
          `${relative(repoRoot, path)}`,
        ).toBe(false);
      }
    }
    for (const file of [
      'cloudinit-control-plane.tftpl',
      'cloudinit-worker.tftpl',
      'main.tf',
      'variables.tf',
    ]) {
      expect(read(join(moduleDir, file)), file).not.toMatch(/(?<![\w.$-])v?\d+\.\d+\.\d+(?![\w.])/);
    }
  });

  it('substitutes into the kit every ${NAME} the kit uses', () => {
    const text = controlPlane();
    const documents = text.split(/^\s*---\s*$/m);
    const substituted = (name: string) => {
      const doc = documents.find((d) => new RegExp(`^\\s+name: ${name}$`, 'm').test(d)) ?? '';
      return new Set([...doc.matchAll(/^\s+([A-Z][A-Z0-9_]*): \$\{/gm)].flatMap((m) => (m[1] ? [m[1]] : [])));
    };
    const secretKeys = [...text.matchAll(/--from-literal=([A-Z][A-Z0-9_]*)=/g)].flatMap((m) =>
      m[1] ? [m[1]] : [],
    );
    expect(secretKeys.length).toBeGreaterThan(0);
    expect(text).toMatch(/substituteFrom:\n\s+- kind: Secret\n\s+name: catalyst-bootstrap-secrets/);

    const kitProvided = new Set([...substituted('bootstrap-kit'), ...secretKeys]);
    expect(kitProvided).toContain('SOVEREIGN_FQDN');
    expect(kitProvided).toContain('CATALYST_COMPONENTS');
    for (const path of filesUnder(kitDir).filter((p) => p.endsWith('.yaml'))) {
      for (const name of placeholders(read(path))) {
        expect(kitProvided.has(name), `${relative(repoRoot, path)} uses \${${name}}`).toBe(true);
      }
    }
    const infraProvided = substituted('infrastructure');
    for (const path of filesUnder(join(templateDir, 'infrastructure'))) {
      for (const name of placeholders(read(path))) {
        expect(infraProvided.has(name), `${relative(repoRoot, path)} uses \${${name}}`).toBe(true);
      }
    }
  });

  it('points Flux at clusters/_template and gates optional releases through spec.components', () => {
    const text = controlPlane();
    expect(text).toContain('path: ./clusters/_template/bootstrap-kit');
    expect(text).toContain('path: ./clusters/_template/infrastructure');
    expect(text).toContain('components: ${jsonencode(kit_component_paths)}');
    expect(text).toContain('CATALYST_COMPONENTS: ${jsonencode(join(",", components))}');
    expect(hcl.locals.kit_component_paths).toContain('var.components');
    expect(hcl.locals.kit_component_paths).toContain('local.optional_kit_components');
  });
});

describe('clusters/_template bootstrap kit', () => {
  let base: KitDoc[];
  let optional: Map<string, KitDoc[]>;
  let releases: Map<string, KitDoc>;

  beforeAll(() => {
    const kustomization = read(join(kitDir, 'kustomization.yaml')).split('\n');
    const resources = listItems(block(kustomization, 'resources'));
    for (const file of resources)
      expect(existsSync(join(kitDir, file)), `${file} listed but missing`).toBe(true);
    base = resources.flatMap((file) => kitDocs(join(kitDir, file)));
    optional = new Map();
    const componentsDir = join(kitDir, 'components');
    for (const id of existsSync(componentsDir) ? readdirSync(componentsDir) : []) {
      const lines = read(join(componentsDir, id, 'kustomization.yaml')).split('\n');
      expect(scalar(lines, ['kind']), `components/${id}`).toBe('Component');
      const files = listItems(block(lines, 'resources'));
      optional.set(
        id,
        files.flatMap((file) => kitDocs(join(componentsDir, id, file))),
      );
    }
    releases = new Map();
    for (const doc of [...base, ...[...optional.values()].flat()].filter((d) => d.kind === 'HelmRelease')) {
      expect(releases.has(doc.name), `${doc.name} defined twice`).toBe(false);
      releases.set(doc.name, doc);
    }
  });

  it('has a bp-<name> HelmRelease in flux-system for every bootstrap-kit component', () => {
    for (const name of [
      'cilium',
      'cert-manager',
      'flux',
      'crossplane',
      'sealed-secrets',
      'nats-jetstream',
      'openbao',
      'keycloak',
      'gitea',
      'powerdns',
      'catalyst-platform',
    ]) {
      expect(releases.has(`bp-${name}`), `bp-${name}`).toBe(true);
    }
    for (const [name, doc] of releases) {
      expect(name).toMatch(/^bp-[a-z0-9-]+$/);
      expect(doc.namespace, name).toBe('flux-system');
      expect(scalar(doc.lines, ['spec', 'targetNamespace']), `${name} targetNamespace`).toBeTruthy();
      expect(scalar(doc.lines, ['spec', 'releaseName']), `${name} releaseName`).toBeTruthy();
    }
  });

  it('depends only on existing releases, without cycles, and never from the base on an optional release', () => {
    const baseNames = new Set(base.filter((d) => d.kind === 'HelmRelease').map((d) => d.name));
    for (const [name, doc] of releases) {
      for (const dependency of dependsOn(doc)) {
        expect(releases.has(dependency), `${name} → ${dependency}`).toBe(true);
        if (baseNames.has(name))
          expect(baseNames.has(dependency), `${name} → optional ${dependency}`).toBe(true);
      }
    }
    const placed = new Set<string>();
    while (placed.size < releases.size) {
      const ready = [...releases].filter(
        ([n, d]) => !placed.has(n) && dependsOn(d).every((dep) => placed.has(dep)),
      );
      expect(
        ready.length,
        `dependency cycle among ${[...releases.keys()].filter((n) => !placed.has(n))}`,
      ).toBeGreaterThan(0);
      for (const [n] of ready) placed.add(n);
    }
    expect(dependsOn(releases.get('bp-cilium') as KitDoc)).toEqual([]);
    expect(dependsOn(releases.get('bp-cert-manager') as KitDoc)).toEqual(['bp-cilium']);
    expect(dependsOn(releases.get('bp-catalyst-platform') as KitDoc)).toEqual(
      expect.arrayContaining(['bp-gitea', 'bp-nats-jetstream', 'bp-powerdns']),
    );
  });

  it('sources every chart from sources.yaml or the GitRepository cloud-init creates', () => {
    const sources = kitDocs(join(kitDir, 'sources.yaml'));
    const repositories = new Set(sources.filter((d) => d.kind === 'HelmRepository').map((d) => d.name));
    expect(sources.every((d) => d.kind === 'HelmRepository' && d.namespace === 'flux-system')).toBe(true);
    const gitRepository = /kind: GitRepository\n\s+metadata:\n\s+name: (\S+)/.exec(
      read(join(moduleDir, 'cloudinit-control-plane.tftpl')),
    )?.[1];
    for (const [name, doc] of releases) {
      const ref = at(doc.lines, ['spec', 'chart', 'spec', 'sourceRef']);
      const kind = scalar(ref, ['kind']);
      const source = scalar(ref, ['name']);
      if (kind === 'GitRepository') expect(source, name).toBe(gitRepository);
      else {
        expect(kind, name).toBe('HelmRepository');
        expect(repositories.has(source ?? ''), `${name} → HelmRepository ${source}`).toBe(true);
      }
    }
  });

  it('takes the Cilium and Flux versions from substitution', () => {
    const cilium = releases.get('bp-cilium') as KitDoc;
    expect(scalar(cilium.lines, ['spec', 'chart', 'spec', 'version'])).toBe('${CILIUM_VERSION}');
    expect(scalar(cilium.lines, ['spec', 'releaseName'])).toBe('cilium');
    expect(scalar(cilium.lines, ['spec', 'targetNamespace'])).toBe('kube-system');
    expect(scalar(cilium.lines, ['spec', 'storageNamespace'])).toBe('kube-system');
    const flux = releases.get('bp-flux') as KitDoc;
    expect(scalar(flux.lines, ['spec', 'values', 'instance', 'distribution', 'version'])).toBe(
      '${FLUX_VERSION}',
    );
  });

  it('gives bp-cilium the values cloud-init installed it with', () => {
    const template = read(join(moduleDir, 'cloudinit-control-plane.tftpl')).split('\n');
    const start = template.findIndex((l) => l.includes('path: /var/lib/catalyst/cilium-values.yaml'));
    const contentAt = template.findIndex((l, i) => i > start && l.trim() === 'content: |');
    // The values of every Sovereign (the multi-region block after them is components/clustermesh's).
    const installed: string[] = [];
    for (const line of template.slice(contentAt + 1)) {
      if (!line.trim() || line.startsWith('%{')) break;
      installed.push(line.slice(6));
    }
    const values = (at((releases.get('bp-cilium') as KitDoc).lines, ['spec', 'values']) ?? []).map((l) =>
      l.slice(4),
    );
    const normalise = (lines: string[]) =>
      lines
        .filter(meaningful)
        .map((l) => l.replace('${kube_api_internal_host}', '${KUBE_API_INTERNAL_HOST}'))
        .join('\n');
    expect(normalise(values)).toBe(normalise(installed));
  });

  it('keeps optional components as Kustomize Components matching local.optional_kit_components and the catalog', () => {
    // components/clustermesh is no catalog component: main.tf includes it with more than one region.
    expect(optional.has('clustermesh')).toBe(true);
    expect(String(hcl.locals.mesh_component_paths)).toBe(
      '${local.multi_region ? ["components/clustermesh"] : []}',
    );
    const catalogComponents = new Map([...optional].filter(([id]) => id !== 'clustermesh'));
    expect([...catalogComponents.keys()].sort()).toEqual(
      [...(hcl.locals.optional_kit_components as string[])].sort(),
    );
    // The one mapping (libs/contracts bootstrap-kit.ts) names the same optional releases.
    expect([...catalogComponents.keys()].sort()).toEqual(
      bootstrapKitReleases
        .filter((r) => r.optional)
        .map((r) => r.id)
        .sort(),
    );
    for (const [id, docs] of catalogComponents) {
      const component = findComponent(id);
      expect(component, `components/${id} is not a catalog component`).toBeDefined();
      expect(component?.mandatory, `${id} is mandatory, so it belongs in the base`).toBe(false);
      expect(docs.filter((d) => d.kind === 'HelmRelease').map((d) => d.name)).toEqual([`bp-${id}`]);
    }
    for (const doc of base.filter((d) => d.kind === 'HelmRelease')) {
      const component = findComponent(doc.name.replace(/^bp-/, ''));
      if (component)
        expect(component.mandatory, `${doc.name} is always installed but optional in the catalog`).toBe(true);
    }
  });

  it('has no per-Sovereign copies and no literal Sovereign values', () => {
    expect(readdirSync(join(repoRoot, 'clusters'))).toEqual(['_template']);
    for (const path of filesUnder(templateDir).filter((p) => p.endsWith('.yaml'))) {
      const text = read(path);
      for (const literal of [realisticInput.fqdn, 'omani.works', realisticInput.adminEmail]) {
        expect(text.includes(literal), `${relative(repoRoot, path)} contains ${literal}`).toBe(false);
      }
      for (const host of text.matchAll(/(?:host|hostname|DOMAIN): "?([^"\s]+)"?$/gm)) {
        expect(host[1], relative(repoRoot, path)).toContain('${SOVEREIGN_FQDN}');
      }
    }
  });
});
