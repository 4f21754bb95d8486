// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Flux placeholders (${…}) are read and replaced here
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import { load, loadAll } from 'js-yaml';

/*
 * Readers for the charts (charts/*) and the Flux tree (clusters/_template) with a real YAML parser.
 * Used by charts/test/charts.test.ts.
 */

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const chartsDir = join(repoRoot, 'charts');
export const kitDir = join(repoRoot, 'clusters/_template/bootstrap-kit');

export type Yaml = Record<string, unknown>;

export const read = (path: string) => readFileSync(path, 'utf8');

export function readYaml(path: string): Yaml {
  const value = load(read(path));
  if (!isRecord(value)) throw new Error(`${path} is not a YAML mapping`);
  return value;
}

export function readYamlDocs(path: string): Yaml[] {
  return loadAll(read(path)).filter(isRecord);
}

export function isRecord(value: unknown): value is Yaml {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value at a dotted path; numbers index lists (keys may contain dots when given as an array). */
export function get(value: unknown, path: string | string[]): unknown {
  const keys = Array.isArray(path) ? path : path.split('.');
  return keys.reduce<unknown>((current, key) => {
    if (Array.isArray(current) && /^\d+$/.test(key)) return current[Number(key)];
    return isRecord(current) ? current[key] : undefined;
  }, value);
}

/** Helm's merge of values: maps merge deeply, anything else (lists too) replaces. */
export function mergeValues(base: unknown, override: unknown): unknown {
  if (!isRecord(base) || !isRecord(override)) return override === undefined ? base : override;
  const merged: Yaml = { ...base };
  for (const [key, value] of Object.entries(override)) merged[key] = mergeValues(base[key], value);
  return merged;
}

// ---------------------------------------------------------------------------------------------
// Charts
// ---------------------------------------------------------------------------------------------

export interface ChartDependency {
  name: string;
  version: string;
  repository: string;
  alias?: string;
}

export interface Chart {
  name: string;
  dir: string;
  chart: Yaml & { version: string; appVersion?: string; dependencies?: ChartDependency[] };
  values: Yaml;
  schema: Yaml;
  /** blueprint.yaml; only the bp-* charts have one. */
  blueprint?: Yaml;
  annotations: Record<string, string>;
}

/** The directories of charts/ that hold a chart (charts/test holds these tests). */
export function chartNames(): string[] {
  return readdirSync(chartsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(chartsDir, entry.name, 'Chart.yaml')))
    .map((entry) => entry.name)
    .sort();
}

export function readChart(name: string): Chart {
  const dir = join(chartsDir, name);
  const chart = readYaml(join(dir, 'Chart.yaml')) as Chart['chart'];
  const blueprintPath = join(dir, 'blueprint.yaml');
  return {
    name,
    dir,
    chart,
    values: readYaml(join(dir, 'values.yaml')),
    schema: JSON.parse(read(join(dir, 'values.schema.json'))) as Yaml,
    blueprint: existsSync(blueprintPath) ? readYaml(blueprintPath) : undefined,
    annotations: (chart.annotations ?? {}) as Record<string, string>,
  };
}

/** Strict Ajv (unknown keywords are errors), formats not checked, union types allowed. */
export function compileSchema(schema: Yaml): ValidateFunction {
  return new Ajv({ allErrors: true, validateFormats: false, allowUnionTypes: true }).compile(schema);
}

export function schemaErrors(validate: ValidateFunction, value: unknown): string[] {
  return validate(value)
    ? []
    : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
}

/** Exact MAJOR.MINOR.PATCH (optionally v-prefixed, as some upstream charts tag): no ranges. */
export const EXACT_VERSION = /^v?\d+\.\d+\.\d+$/;

/** Whether `version` satisfies a caret range `^X.Y.Z` (same major, not lower). */
export function satisfiesCaret(version: string, range: string): boolean {
  if (!range.startsWith('^')) return false;
  const parse = (v: string) => v.replace(/^[v^]/, '').split('.').map(Number) as [number, number, number];
  const [major, minor, patch] = parse(version);
  const [rMajor, rMinor, rPatch] = parse(range);
  if (major !== rMajor) return false;
  return minor !== rMinor ? minor > rMinor : patch >= rPatch;
}

// ---------------------------------------------------------------------------------------------
// The bootstrap kit (clusters/_template/bootstrap-kit)
// ---------------------------------------------------------------------------------------------

export interface KitDoc {
  file: string;
  doc: Yaml;
}

/** Every object of the kit: the base resources and every optional Component's resources. */
export function kitDocs(): KitDoc[] {
  const docsOf = (dir: string) => {
    const kustomization = readYaml(join(dir, 'kustomization.yaml'));
    return ((kustomization.resources ?? []) as string[]).flatMap((file) =>
      readYamlDocs(join(dir, file)).map((doc) => ({ file: join(dir, file).slice(repoRoot.length), doc })),
    );
  };
  const componentsDir = join(kitDir, 'components');
  const components = existsSync(componentsDir) ? readdirSync(componentsDir) : [];
  return [...docsOf(kitDir), ...components.flatMap((id) => docsOf(join(componentsDir, id)))];
}

export const helmReleases = () => kitDocs().filter(({ doc }) => doc.kind === 'HelmRelease');

/** Replaces the kit's postBuild placeholders (${NAME}) in every string of a value. */
export function substitute<T>(value: T, vars: Record<string, string>): T {
  if (typeof value === 'string')
    return value.replace(
      /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g,
      (whole, name: string) => vars[name] ?? whole,
    ) as T;
  if (Array.isArray(value)) return value.map((item) => substitute(item, vars)) as T;
  if (isRecord(value))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, vars)])) as T;
  return value;
}

/** The dependsOn targets of a HelmRelease, by name. */
export const dependsOnOf = (release: unknown) =>
  ((get(release, 'spec.dependsOn') ?? []) as { name: string }[]).map((d) => d.name);

/**
 * An order Flux can install the releases in (each after its dependsOn targets; those ready together by name), and
 * what is left when some wait on each other (a cycle) or on a release that is not there.
 */
export function installOrder(releases: unknown[]): { order: string[]; stuck: string[] } {
  const graph = new Map(releases.map((r) => [get(r, 'metadata.name') as string, dependsOnOf(r)]));
  const order: string[] = [];
  for (;;) {
    const ready = [...graph]
      .filter(([name, deps]) => !order.includes(name) && deps.every((d) => order.includes(d)))
      .map(([name]) => name)
      .sort();
    if (!ready.length) break;
    order.push(...ready);
  }
  return { order, stuck: [...graph.keys()].filter((name) => !order.includes(name)) };
}
