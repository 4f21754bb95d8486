import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { bootstrapKitReleases } from '@catalyst/contracts';
import { describe, expect, it } from 'vitest';
import {
  chartsDir,
  get,
  isRecord,
  read,
  readChart,
  readYaml,
  repoRoot,
  type Yaml,
} from './helpers/charts.js';

/**
 * Every Blueprint's overlay against a vendored copy of its pinned upstream chart's values.yaml
 * (charts/upstream-values/, refreshed by scripts/refresh-upstream-values.mjs): a key the upstream chart does not
 * have would be ignored by helm without a word, so the operator would get the upstream default instead.
 */
const HEADER = /^# upstream-values: repo=(\S+) ref=(\S+) path=(\S+) chart=(\S+) version=(\S+)$/;
const charts = bootstrapKitReleases.map((r) => readChart(`bp-${r.id}`));

/** Maps Kubernetes itself leaves free-form: any key is as valid as the upstream's examples. */
const FREE_FORM = new Set(['annotations', 'labels', 'podAnnotations', 'podLabels', 'nodeSelector']);

/**
 * The key paths `overlay` sets that `upstream` lacks. Below an empty or null map, in free-form maps and in lists,
 * keys are free; so is a key the upstream file documents only as a commented-out example (`# key:` in `text`),
 * which its templates read (Harbor's per-component resources, say).
 */
function unknownKeys(overlay: unknown, upstream: unknown, text = '', path: string[] = []): string[] {
  if (!isRecord(overlay) || FREE_FORM.has(path.at(-1) ?? '')) return [];
  if (!isRecord(upstream)) return upstream === null || upstream === undefined ? [] : [path.join('.')];
  if (Object.keys(upstream).length === 0) return [];
  const documented = (key: string) =>
    new RegExp(`^\\s*#+\\s*${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:`, 'm').test(text);
  return Object.entries(overlay).flatMap(([key, value]) => {
    if (key in upstream) return unknownKeys(value, upstream[key], text, [...path, key]);
    return documented(key) ? [] : [[...path, key].join('.')];
  });
}

const CPU = /^(\d+(?:\.\d+)?)(m?)$/;
const MEMORY = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi)?$/;
const millicores = (value: unknown) => {
  const m = CPU.exec(String(value));
  if (!m) throw new Error(`not a CPU quantity: ${value}`);
  return m[2] === 'm' ? Number(m[1]) : Number(m[1]) * 1000;
};
const mebibytes = (value: unknown) => {
  const m = MEMORY.exec(String(value));
  if (!m) throw new Error(`not a memory quantity: ${value}`);
  const factor = { Ki: 1 / 1024, Mi: 1, Gi: 1024 }[m[2] ?? ''] ?? 1 / (1024 * 1024);
  return Number(m[1]) * factor;
};

/** The CPU and memory every `resources.requests` in `values` asks for, added up. */
function requested(values: unknown): { cpu: number; memory: number } {
  const total = { cpu: 0, memory: 0 };
  const walk = (node: unknown, key?: string) => {
    if (Array.isArray(node)) {
      for (const item of node) walk(item);
      return;
    }
    if (!isRecord(node)) return;
    if (key === 'requests') {
      if (node.cpu !== undefined) total.cpu += millicores(node.cpu);
      if (node.memory !== undefined) total.memory += mebibytes(node.memory);
      return;
    }
    for (const [k, v] of Object.entries(node)) walk(v, k);
  };
  walk(values);
  return total;
}

describe('the Blueprint overlays against their upstream charts', () => {
  it('vendor the pinned upstream values.yaml of every chart that has an upstream', () => {
    for (const { name, chart } of charts) {
      const upstream = chart.dependencies?.[0];
      if (!upstream || upstream.repository.startsWith('file://')) continue;
      const file = join(chartsDir, 'upstream-values', `${name}.yaml`);
      expect(existsSync(file), `charts/upstream-values/${name}.yaml`).toBe(true);
      const header = HEADER.exec(read(file).split('\n', 1)[0] ?? '');
      expect(header, `${name}: header line`).not.toBeNull();
      expect(header?.[4], `${name}: vendored chart`).toBe(upstream.name);
      expect(header?.[5]?.replace(/^v/, ''), `${name}: vendored version`).toBe(
        upstream.version.replace(/^v/, ''),
      );
    }
  });

  it('set only keys the pinned upstream chart has', () => {
    for (const { name, chart, values } of charts) {
      const upstream = chart.dependencies?.[0];
      if (!upstream || upstream.repository.startsWith('file://')) continue;
      const file = join(chartsDir, 'upstream-values', `${name}.yaml`);
      expect(unknownKeys(values[upstream.name], readYaml(file), read(file)), name).toEqual([]);
    }
  });

  it('finds a key the upstream chart lacks, and allows free-form maps', () => {
    expect(unknownKeys({ a: { b: 1, c: 2 } }, { a: { b: 0 } })).toEqual(['a.c']);
    expect(unknownKeys({ podAnnotations: { x: 'y' } }, { podAnnotations: {} })).toEqual([]);
    expect(unknownKeys({ extra: { x: 1 } }, { extra: null })).toEqual([]);
    expect(unknownKeys({ image: { tag: 'x' } }, { image: 'repo:tag' })).toEqual(['image']);
    expect(
      unknownKeys({ ingress: { annotations: { a: 'b' } } }, { ingress: { annotations: { c: 'd' } } }),
    ).toEqual([]);
    expect(
      unknownKeys({ core: { resources: { x: 1 } } }, { core: { image: 'i' } }, 'core:\n  # resources:\n'),
    ).toEqual([]);
    expect(
      unknownKeys({ core: { resourcez: 1 } }, { core: { image: 'i' } }, 'core:\n  # resources:\n'),
    ).toEqual(['core.resourcez']);
  });
});

describe('the Blueprint footprints (the wizard capacity check adds them up)', () => {
  it('declare spec.footprint covering every resources.requests their overlay sets', () => {
    for (const { name, values, blueprint } of charts) {
      const footprint = get(blueprint, 'spec.footprint') as Yaml | undefined;
      expect(footprint, `${name}: spec.footprint`).toBeDefined();
      const asked = requested(values);
      expect(millicores(footprint?.cpu), `${name}: footprint cpu`).toBeGreaterThanOrEqual(asked.cpu);
      expect(mebibytes(footprint?.memory), `${name}: footprint memory`).toBeGreaterThanOrEqual(asked.memory);
      expect(millicores(footprint?.cpu), `${name}: footprint cpu`).toBeGreaterThan(0);
    }
  });

  it('are the figures libs/contracts/src/kit-footprints.ts carries (generated by scripts/gen-kit-footprints.mjs)', () => {
    const check = spawnSync(process.execPath, [join(repoRoot, 'scripts/gen-kit-footprints.mjs'), '--check'], {
      encoding: 'utf8',
    });
    expect(check.stderr, 'run node scripts/gen-kit-footprints.mjs').toBe('');
    expect(check.status).toBe(0);
  });

  it('reads quantities as Kubernetes writes them', () => {
    expect(millicores('250m')).toBe(250);
    expect(millicores('1.5')).toBe(1500);
    expect(mebibytes('1Gi')).toBe(1024);
    expect(mebibytes('512Mi')).toBe(512);
    expect(() => millicores('lots')).toThrow();
  });
});
