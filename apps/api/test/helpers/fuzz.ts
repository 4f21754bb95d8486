/**
 * A small seeded fuzzer for HTTP inputs: values built from the OpenAPI (JSON Schema) of a route, then
 * mutated into the shapes attackers and broken clients send. Deterministic for a seed, so a failure
 * found once can be replayed with CATALYST_FUZZ_SEED.
 */

type JsonSchema = Record<string, unknown>;
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** mulberry32: tiny, fast and good enough to pick inputs. */
export class Prng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(below: number): number {
    return Math.floor(this.next() * below);
  }

  between(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  pick<T>(list: readonly T[]): T {
    return list[this.int(list.length)] as T;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  uuid(): string {
    const hex = Array.from({ length: 32 }, () => this.int(16).toString(16)).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  }
}

/** Strings that satisfy many real field formats; a pattern picks the first that matches it. */
const PLAUSIBLE_STRINGS = [
  'omantel',
  'omani.works',
  'acme',
  'fsn1',
  'cpx32',
  'hetzner',
  'harbor',
  'tofu-apply',
  'WELCOME-2026',
  '1234567',
  '123456',
  'Omantel Cloud',
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFuzzFuzzFuzzFuzzFuzzFuzzFuzzFuzzFuzzFuzzFu admin@fuzz',
  'HcT0k3nForTests0nlyAbcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHI',
  '203.0.113.7',
  'example.com',
  'a',
];

function matchesLength(value: string, schema: JsonSchema): boolean {
  const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const max = typeof schema.maxLength === 'number' ? schema.maxLength : Number.POSITIVE_INFINITY;
  return value.length >= min && value.length <= max;
}

function stringFor(schema: JsonSchema, rng: Prng): string {
  switch (schema.format) {
    case 'email':
      return `fuzz${rng.int(1000)}@example.test`;
    case 'uuid':
      return rng.uuid();
    case 'date-time':
      return new Date(Date.UTC(2030, rng.int(12), 1 + rng.int(28))).toISOString();
    case 'uri':
    case 'url':
      return `https://example.test/${rng.int(1000)}`;
    case 'ipv4':
      return `203.0.113.${rng.int(250)}`;
  }
  const candidates = [...PLAUSIBLE_STRINGS].sort(() => rng.next() - 0.5);
  if (typeof schema.pattern === 'string') {
    let pattern: RegExp | undefined;
    try {
      pattern = new RegExp(schema.pattern, 'u');
    } catch {
      pattern = undefined;
    }
    const fit = candidates.find((c) => (!pattern || pattern.test(c)) && matchesLength(c, schema));
    if (fit) return fit;
  }
  const fit = candidates.find((c) => matchesLength(c, schema));
  if (fit) return fit;
  const min = typeof schema.minLength === 'number' ? schema.minLength : 1;
  return 'x'.repeat(min);
}

/**
 * A plausible value for a field, by its name (`email`, `planId`, …), where the schema alone cannot
 * say (zod refinements do not reach JSON Schema); undefined lets the schema decide.
 */
export type Hints = (field: string) => Json | undefined;

/** A value that (mostly) satisfies `schema`: the baseline the mutations start from. */
export function valueFor(
  schema: JsonSchema | undefined,
  rng: Prng,
  depth = 0,
  hints?: Hints,
  field?: string,
): Json {
  if (!schema || depth > 8) return 'x';
  const hinted = field && hints && rng.chance(0.8) ? hints(field) : undefined;
  if (hinted !== undefined) return hinted;
  if ('const' in schema) return schema.const as Json;
  if (Array.isArray(schema.enum)) return rng.pick(schema.enum as Json[]);
  const union = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (Array.isArray(union) && union.length) return valueFor(rng.pick(union), rng, depth + 1, hints, field);
  if (Array.isArray(schema.allOf) && schema.allOf.length) {
    return valueFor(Object.assign({}, ...(schema.allOf as JsonSchema[])), rng, depth + 1, hints, field);
  }
  const type = Array.isArray(schema.type) ? rng.pick(schema.type as string[]) : schema.type;
  switch (type) {
    case 'object':
      return objectFor(schema, rng, depth, hints);
    case 'array': {
      const min = typeof schema.minItems === 'number' ? schema.minItems : 0;
      const max = typeof schema.maxItems === 'number' ? schema.maxItems : min + 3;
      return Array.from({ length: rng.between(min, Math.min(max, min + 3)) }, () =>
        valueFor(schema.items as JsonSchema, rng, depth + 1, hints, field && `${field}[]`),
      );
    }
    case 'string':
      return stringFor(schema, rng);
    case 'integer':
    case 'number': {
      const min =
        typeof schema.minimum === 'number'
          ? schema.minimum
          : typeof schema.exclusiveMinimum === 'number'
            ? schema.exclusiveMinimum + 1
            : 0;
      const max = typeof schema.maximum === 'number' ? schema.maximum : min + 1000;
      return Math.min(max, min + rng.int(Math.max(1, Math.min(1000, max - min + 1))));
    }
    case 'boolean':
      return rng.chance(0.5);
    case 'null':
      return null;
    default:
      return schema.properties ? objectFor(schema, rng, depth, hints) : 'x';
  }
}

function objectFor(schema: JsonSchema, rng: Prng, depth: number, hints?: Hints): Json {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required ?? []) as string[]);
  const out: { [key: string]: Json } = {};
  for (const [key, property] of Object.entries(properties)) {
    if (required.has(key) || rng.chance(0.6)) out[key] = valueFor(property, rng, depth + 1, hints, key);
  }
  if (!schema.properties && typeof schema.additionalProperties === 'object') {
    out[`k${rng.int(10)}`] = valueFor(schema.additionalProperties as JsonSchema, rng, depth + 1, hints);
  }
  return out;
}

/** Every place in a JSON value, as the parent container and the key to it. */
function slots(value: Json): { parent: Json[] | { [key: string]: Json }; key: string | number }[] {
  const out: { parent: Json[] | { [key: string]: Json }; key: string | number }[] = [];
  const visit = (node: Json) => {
    if (Array.isArray(node)) {
      node.forEach((child, i) => {
        out.push({ parent: node, key: i });
        visit(child);
      });
    } else if (node !== null && typeof node === 'object') {
      for (const [key, child] of Object.entries(node)) {
        out.push({ parent: node, key });
        visit(child);
      }
    }
  };
  visit(value);
  return out;
}

/** Replaces one random place in `root` (or `root` itself when it has none) with `make(old)`. */
function replaceSomewhere(root: Json, rng: Prng, make: (old: Json) => Json): Json {
  const places = slots(root);
  if (!places.length) return make(root);
  const { parent, key } = rng.pick(places);
  (parent as Record<string | number, Json>)[key] = make(
    (parent as Record<string | number, Json>)[key] as Json,
  );
  return root;
}

const WRONG_TYPES: Json[] = [null, true, 0, -1, 1.5, '', 'x', [], {}, [null], { a: 1 }, '0', 'true', 'null'];
const CONTROL_CHARACTERS = [
  '\u0000',
  '\u0007',
  '\u001b',
  '\u007f',
  '\u0000\u0000',
  '\r\n',
  '\u2028',
  '\ufeff',
  '\u202e',
];
const EXTRA_KEYS = [
  'extra',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  '',
  ' ',
  '💥',
  'isAdmin',
  'roles',
  'id',
];
/** Raw number texts: some JSON.parse turns into ±Infinity, -0 or an imprecise integer. */
const LIMIT_NUMBERS = [
  '0',
  '-0',
  '-1',
  '2147483647',
  '2147483648',
  '-2147483649',
  '9007199254740993',
  '1e308',
  '-1e308',
  '1e999',
  '-1e999',
  '1.0000000000000002',
  '5e-324',
  '1e-999',
];
const INVALID_JSON = [
  '{',
  '{"a":}',
  '{"a":1,}',
  "{'a':1}",
  '\ufeff{}',
  'nul',
  '[1,2',
  '"unterminated',
  '{"a" 1}',
  '}{',
  '{"a":1}{"b":2}',
  '\u0000',
  '{"a":"\\u00"}',
  '{"__proto__":{"x":1}}',
  '{"constructor":{"prototype":{"x":1}}}',
];
const CONTENT_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=fuzz',
  'application/xml',
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'application/yaml',
  'application/octet-stream',
  'garbage',
  'application/json;;;',
];

export interface FuzzBody {
  /** What kind of input this is, for the report. */
  label: string;
  /** undefined: no body at all. */
  payload?: string | Buffer;
  contentType?: string;
}

function nested(depth: number, open: string, close: string, inner = '1'): string {
  return `${open.repeat(depth)}${inner}${close.repeat(depth)}`;
}

/** One request body for a route whose body schema is `schema` (or none), mutated one way or another. */
export function fuzzBody(
  schema: JsonSchema | undefined,
  rng: Prng,
  hints?: Hints,
  example?: () => Json,
): FuzzBody {
  const base = (): Json => (example && rng.chance(0.7) ? example() : valueFor(schema, rng, 0, hints));
  const json = (label: string, value: Json): FuzzBody => ({
    label,
    payload: JSON.stringify(value),
    contentType: 'application/json',
  });
  switch (rng.int(14)) {
    case 0:
      return json('valid', base());
    case 1:
      return json(
        'wrong-type',
        replaceSomewhere(base(), rng, (old) => rng.pick(WRONG_TYPES.filter((v) => typeof v !== typeof old))),
      );
    case 2: {
      const value = base();
      const objects = [
        value,
        ...slots(value).map(({ parent, key }) => (parent as Record<string | number, Json>)[key] as Json),
      ].filter(
        (node): node is { [key: string]: Json } =>
          node !== null && typeof node === 'object' && !Array.isArray(node),
      );
      const target = objects.length ? rng.pick(objects) : undefined;
      const keys = target ? Object.keys(target) : [];
      if (target && keys.length) delete target[rng.pick(keys)];
      return json('missing-field', value);
    }
    case 3: {
      const key = rng.pick(EXTRA_KEYS);
      const value = base();
      const text = JSON.stringify(value);
      // JSON.stringify drops a `__proto__` own key made by assignment, so the extra field is spliced in as text.
      const extra = `${JSON.stringify(key)}:${JSON.stringify(rng.pick(WRONG_TYPES))}`;
      const payload = text.startsWith('{')
        ? text === '{}'
          ? `{${extra}}`
          : `{${extra},${text.slice(1)}`
        : text;
      return { label: `extra-field:${key}`, payload, contentType: 'application/json' };
    }
    case 4: {
      const size = rng.pick([10_000, 200_000, 900_000, 2_000_000]);
      return json(
        `huge-string:${size}`,
        replaceSomewhere(base(), rng, () => 'A'.repeat(size)),
      );
    }
    case 5: {
      const control = rng.pick(CONTROL_CHARACTERS);
      return json(
        `control:${JSON.stringify(control)}`,
        replaceSomewhere(base(), rng, (old) =>
          typeof old === 'string' ? `${old.slice(0, 3)}${control}${old.slice(3)}` : `x${control}`,
        ),
      );
    }
    case 6: {
      const depth = rng.pick([100, 5_000, 50_000]);
      const deep = rng.chance(0.5) ? nested(depth, '[', ']') : nested(depth, '{"a":', '}');
      const text = JSON.stringify(replaceSomewhere(base(), rng, () => '@@DEEP@@'));
      return {
        label: `deep:${depth}`,
        payload: text.replace('"@@DEEP@@"', deep),
        contentType: 'application/json',
      };
    }
    case 7: {
      const number = rng.pick(LIMIT_NUMBERS);
      const text = JSON.stringify(
        replaceSomewhere(base(), rng, (old) =>
          typeof old === 'number' || rng.chance(0.5) ? '@@NUM@@' : old,
        ),
      );
      return {
        label: `number:${number}`,
        payload: text.replace('"@@NUM@@"', number),
        contentType: 'application/json',
      };
    }
    case 8: {
      const count = rng.pick([10_000, 10_001]);
      return json(
        `array:${count}`,
        replaceSomewhere(base(), rng, (old) =>
          Array.from({ length: count }, () => (Array.isArray(old) && old.length ? (old[0] as Json) : 'x')),
        ),
      );
    }
    case 9: {
      const text = rng.chance(0.2)
        ? Buffer.from([0xff, 0xfe, 0x00, 0x7b, 0xc3, 0x28, 0x7d])
        : rng.pick(INVALID_JSON);
      return { label: 'invalid-json', payload: text, contentType: 'application/json' };
    }
    case 10: {
      const contentType = rng.pick(CONTENT_TYPES);
      const payload = contentType.startsWith('application/x-www-form')
        ? 'a=1&b=%00&__proto__[x]=1'
        : JSON.stringify(base());
      return { label: `content-type:${contentType}`, payload, contentType };
    }
    case 11:
      return { label: 'no-content-type', payload: JSON.stringify(base()) };
    case 12:
      return json('top-level', rng.pick<Json>([null, [], 'text', 123, true, [{}], '']));
    default:
      return rng.chance(0.5)
        ? { label: 'empty-json', payload: '', contentType: 'application/json' }
        : { label: 'no-body' };
  }
}

/** A path segment: `raw` ones go into the URL as they are (malformed escapes), the others encoded. */
export interface PathValue {
  value: string;
  raw?: boolean;
}

const PATH_VALUES: PathValue[] = [
  { value: '0' },
  { value: '-1' },
  { value: 'a'.repeat(10_000) },
  { value: 'x'.repeat(101) },
  { value: '💥ñ中文\u202e' },
  { value: 'a\u0000b' },
  { value: '%00', raw: true },
  { value: 'a%00b', raw: true },
  { value: '..', raw: true },
  { value: '%2e%2e', raw: true },
  { value: '..%2f..%2fetc%2fpasswd', raw: true },
  { value: '%', raw: true },
  { value: '%zz', raw: true },
  { value: '%ff%fe', raw: true },
  { value: '%c3%28', raw: true },
  { value: ' ' },
  { value: "'; drop table users; --" },
  { value: 'omantel.omani.works' },
  { value: 'example.com' },
  { value: 'tofu-apply' },
  { value: 'harbor' },
  { value: 'WELCOME-2026' },
  { value: 'acme' },
  { value: 'cloudflare' },
  { value: '00000000-0000-0000-0000-000000000000' },
];

/** A value for a path parameter: one seen in a real answer (so the route goes deep), or a hostile one. */
export function fuzzPathValue(rng: Prng, known: readonly string[]): PathValue {
  if (known.length && rng.chance(0.5)) return { value: rng.pick(known) };
  if (rng.chance(0.15)) return { value: rng.uuid() };
  return rng.pick(PATH_VALUES);
}

export function encodePathValue(value: PathValue): string {
  return value.raw ? value.value : encodeURIComponent(value.value);
}

const QUERY_VALUES = [
  '',
  '0',
  '-1',
  'true',
  'x'.repeat(10_000),
  '💥',
  '%00',
  '%zz',
  'omani.works',
  'acme',
  '1e999',
  'null',
  '[]',
  '{}',
];

/** A query string: the documented parameters with plausible or hostile values, plus strangers. */
export function fuzzQuery(
  parameters: { name: string; schema?: JsonSchema }[],
  rng: Prng,
  hints?: Hints,
): string {
  const parts: string[] = [];
  for (const { name, schema } of parameters) {
    if (rng.chance(0.2)) continue;
    const value = rng.chance(0.4) ? String(valueFor(schema, rng, 0, hints, name)) : rng.pick(QUERY_VALUES);
    const encoded = value.startsWith('%') ? value : encodeURIComponent(value);
    parts.push(`${name}=${encoded}`);
    if (rng.chance(0.15)) parts.push(`${name}=${encoded}`);
  }
  if (rng.chance(0.3))
    parts.push(
      rng.pick([
        'extra=1',
        '__proto__[x]=1',
        'a[b][c]=1',
        'lastEventId=-1',
        'lastEventId=1e999',
        '=',
        '&&',
        '%00=%00',
      ]),
    );
  return parts.length ? `?${parts.join('&')}` : '';
}

/** The one error shape: `{error: {code, message, details?}}` and nothing else. */
export function isErrorShape(body: unknown): boolean {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return false;
  const keys = Object.keys(body);
  if (keys.length !== 1 || keys[0] !== 'error') return false;
  const error = (body as { error: unknown }).error;
  if (!error || typeof error !== 'object' || Array.isArray(error)) return false;
  const { code, message, details, ...rest } = error as Record<string, unknown>;
  return (
    typeof code === 'string' &&
    code.length > 0 &&
    typeof message === 'string' &&
    Object.keys(rest).length === 0 &&
    (details === undefined || (typeof details === 'object' && details !== null && !Array.isArray(details)))
  );
}
