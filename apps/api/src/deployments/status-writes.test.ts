import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deploymentStatuses, phaseStatuses } from '@catalyst/contracts';
import { describe, expect, it } from 'vitest';
import type { DeploymentPatch, DeploymentsRepository, PhasePatch } from './deployments.repository.js';
import type { FencedRunWrites } from './run-lease.js';
import { transition } from './run-state.js';

/*
 * Every status write in deployments/ goes through run-state.ts (issue 12). Two guards keep it so:
 * - types: the repository writes a status only from a Transition that transition() returns; its
 *   patches cannot carry one (checked by `tsc -p apps/api/tsconfig.test.json`, see typeChecks below);
 * - this scan: no status of the state machine written as a bare word, in an object (an event's
 *   `status: 'queued'`, which the types cannot tell from a read) or in SQL (`set status = …`).
 */

const DIR = dirname(fileURLToPath(import.meta.url));
const STATUSES = [...new Set<string>([...deploymentStatuses, ...phaseStatuses])].join('|');
const RAW_WRITE = new RegExp(
  String.raw`\bstatus\s*:\s*['"\x60](?:${STATUSES})['"\x60]|\bset\s+"?status"?\s*=`,
  'gi',
);

/** `file:line: text` for every raw status write in `files` (paths relative to deployments/). */
function rawStatusWrites(files: { path: string; text: string }[]): string[] {
  return files.flatMap(({ path, text }) =>
    text.split('\n').flatMap((line, index) => {
      RAW_WRITE.lastIndex = 0;
      return RAW_WRITE.test(line) ? [`${path}:${index + 1}: ${line.trim()}`] : [];
    }),
  );
}

function productFiles(dir: string): { path: string; text: string }[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return productFiles(path);
    const isProduct = entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts');
    // The state machine's own tables name the statuses: that is where they are declared.
    if (!isProduct || entry.name === 'run-state.ts') return [];
    return [{ path: relative(DIR, path), text: readFileSync(path, 'utf8') }];
  });
}

describe('status writes in deployments/', () => {
  it('write no status of the state machine as a bare word: every one comes from a transition', () => {
    const files = productFiles(DIR);
    expect(files.map((f) => f.path)).toContain('phases/wipe.ts');
    expect(rawStatusWrites(files)).toEqual([]);
  });

  it('the scan finds a raw status in a patch, an event and SQL, and leaves moves and other statuses alone', () => {
    const text = [
      "await repo.update(id, { status: 'queued', error: null });",
      'await repo.appendEvent(id, { type: "deployment", status: "wiping" });',
      "await tx.execute(sql`update deployments set status = 'ready' where id = $1`);",
      'await repo.moveTo(tx, id, move, { error: null });',
      "await repo.appendEvent(id, { type: 'deployment', status: move.to });",
      "events.push({ type: 'resource', status: 'planned' });",
      "const start = phases.find((p) => p.status !== 'succeeded');",
    ].join('\n');
    expect(rawStatusWrites([{ path: 'sample.ts', text }])).toEqual([
      "sample.ts:1: await repo.update(id, { status: 'queued', error: null });",
      'sample.ts:2: await repo.appendEvent(id, { type: "deployment", status: "wiping" });',
      "sample.ts:3: await tx.execute(sql`update deployments set status = 'ready' where id = $1`);",
    ]);
  });
});

/** Never called: `tsc -p apps/api/tsconfig.test.json` fails if a bare status write compiles again. */
export function typeChecks(repo: DeploymentsRepository, writes: FencedRunWrites, tx: never): void {
  // @ts-expect-error a deployment patch cannot carry a status: moveTo() takes it from a transition
  const patch: DeploymentPatch = { status: 'ready' };
  // @ts-expect-error nor can a phase patch
  const phasePatch: PhasePatch = { status: 'succeeded' };
  // @ts-expect-error a bare string is not a Transition
  void repo.moveTo(tx, 'id', { from: 'running', to: 'ready' });
  // @ts-expect-error FencedRunWrites.update writes no status either
  void writes.update({ status: 'ready' });
  void repo.moveTo(tx, 'id', transition('running', 'ready'), patch);
  void phasePatch;
}
