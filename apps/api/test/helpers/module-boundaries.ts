import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/**
 * The module-boundary rule of issue 12 (docs/architecture.md, "Modules": features talk only through what
 * they export), as a checker over a source tree:
 * - no file imports another folder's repository (`*.repository.ts`): it asks that feature's service;
 * - no file imports another feature's tables (`*.schema.ts`), except a schema file referencing a table
 *   for a foreign key (how Drizzle declares one) and database/schema.ts, which gathers every table;
 * - config/ imports no feature (its defaults live with config or in the contracts).
 * Tests are not checked: they may reach into any table to arrange or observe a state.
 */
const INFRASTRUCTURE = new Set(['common', 'config', 'database', 'crypto']);
/** The file Drizzle's typed client and drizzle-kit read every table from. */
const TABLE_GATHERING = 'database/schema.ts';

/** `import … from '…'` / `export … from '…'` (multi-line too), `import '…'`, and `import('…')`. */
const RELATIVE_SPECIFIERS = [
  /^\s*(?:import|export)\b[^;]*?\bfrom\s*['"](\.{1,2}\/[^'"]+)['"]/gm,
  /^\s*import\s*['"](\.{1,2}\/[^'"]+)['"]/gm,
  /\bimport\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g,
];

/** Every rule broken under `root` (a src/ folder), one line each: `file → target: why`, sorted. */
export function boundaryViolations(root: string): string[] {
  return sourceFiles(root)
    .flatMap((file) => importsOf(root, file).flatMap(({ from, to }) => judge(from, to)))
    .sort();
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** Relative imports of one file as paths under `root`, `/`-separated; imports leaving `root` are dropped. */
function importsOf(root: string, file: string): { from: string; to: string }[] {
  const text = readFileSync(file, 'utf8');
  const from = relative(root, file).split(sep).join('/');
  return RELATIVE_SPECIFIERS.flatMap((pattern) => [...text.matchAll(pattern)]).flatMap(([, spec]) => {
    const to = relative(root, resolve(dirname(file), spec as string))
      .split(sep)
      .join('/');
    return to.startsWith('../') ? [] : [{ from, to }];
  });
}

/** The folder a path belongs to; files at the root (app.module.ts, main.ts) compose the app and are no feature. */
function folderOf(path: string): string | undefined {
  const slash = path.indexOf('/');
  return slash < 0 ? undefined : path.slice(0, slash);
}

function judge(from: string, to: string): string[] {
  const fromFolder = folderOf(from);
  const toFolder = folderOf(to);
  if (toFolder === undefined || toFolder === fromFolder) return [];
  const toFeature = !INFRASTRUCTURE.has(toFolder);
  if (fromFolder === 'config' && toFeature) return [`${from} → ${to}: config/ must not import a feature`];
  if (/\.repository(\.[jt]s)?$/.test(to)) return [`${from} → ${to}: another feature's repository`];
  const foreignKey = from.endsWith('.schema.ts') || from === TABLE_GATHERING;
  if (toFeature && /\.schema(\.[jt]s)?$/.test(to) && !foreignKey)
    return [`${from} → ${to}: another feature's tables`];
  return [];
}
