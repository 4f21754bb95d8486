// Runs every bench in this folder one after another and writes their tables to bench/results.md.
// Usage: npm run bench (builds first; ≤ 20 min). `--smoke` runs each in seconds with tiny sizes and keeps no
// results: `npm test` does that so the benches cannot rot. Asserts nothing but that each bench runs to its end.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const smoke = process.argv.includes('--smoke');
const here = fileURLToPath(new URL('.', import.meta.url));
const benches = readdirSync(here)
  .filter((name) => name.endsWith('.mjs') && name !== 'run.mjs')
  .sort();
const collected = join(tmpdir(), `catalyst-bench-results-${process.pid}.md`);
writeFileSync(collected, '');

const failed = [];
for (const bench of benches) {
  console.log(`\n=== bench/${bench}${smoke ? ' (smoke)' : ''}`);
  const started = Date.now();
  const result = spawnSync(process.execPath, [join(here, bench)], {
    stdio: 'inherit',
    env: { ...process.env, BENCH_RESULTS: collected, ...(smoke ? { BENCH_SMOKE: '1' } : {}) },
    timeout: (smoke ? 3 : 10) * 60_000,
  });
  console.log(
    `=== bench/${bench}: ${result.status === 0 ? 'done' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );
  if (result.status !== 0) failed.push(bench);
}

if (!smoke) {
  const header = [
    '# Benchmark results',
    '',
    `Written by \`npm run bench\` on ${new Date().toISOString()}: Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}.`,
    'Product and bare baseline run side by side in the same run on the same machine; each figure is the median of 3.',
    'docs/performance.md explains each figure.',
    '',
  ].join('\n');
  writeFileSync(join(here, 'results.md'), `${header}\n${readFileSync(collected, 'utf8')}`);
  console.log('\nwrote bench/results.md');
}
rmSync(collected, { force: true });
if (failed.length) {
  console.error(`benches that did not run to their end: ${failed.join(', ')}`);
  process.exit(1);
}
