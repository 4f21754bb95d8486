// Watchers must cost a run nothing: how fast the api stores tofu's output while 1, 100 and 1,000 SSE subscribers
// watch the run. The api runs bench/lib/tofu-lines.mjs as tofu, which prints a burst of lines, each stamped with its
// print time; the rate is lines stored / (the last line's stored time − the first line's print time), read back from
// the run's stream after the run stopped (`time` is the stored time, to the millisecond). The stored time is taken
// against the print time, not the first line's stored time, so a batch stored in one transaction (one `time`) still
// counts its whole duration. The watchers read and throw away, in a process of their own; the api, PostgreSQL and the
// watchers share this machine's cores. A run still storing after DEADLINE_MS is cut (rated on what it stored by then)
// and its watcher count is not repeated.
// Usage: npm run build && node bench/ingest.mjs. Prints figures; asserts nothing.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { median, percentile, REPEATS, ratio, report, SMOKE, startProduct } from './lib/harness.mjs';
import {
  cancelRun,
  createGatedRun,
  startWatchers,
  storedLines,
  tofuLinesEnv,
  waitStopped,
} from './lib/sse-watchers.mjs';
import { wallClock } from './lib/tofu-lines.mjs';

const WATCHERS = SMOKE ? [1, 10, 20] : [1, 100, 1000];
const LINES = SMOKE ? 200 : 2000;
/** A run still storing after this long is cut: its rate counts the lines stored by then. */
const DEADLINE_MS = SMOKE ? 20_000 : 25_000;
/** A pause between runs, so one starts on an api that has finished closing the last run's streams. */
const SETTLE_MS = SMOKE ? 100 : 2_000;

const dir = mkdtempSync(join(tmpdir(), 'catalyst-bench-ingest-'));
const workdir = join(dir, 'work');
mkdirSync(workdir);
const goFile = join(dir, 'go');
const product = await startProduct({ env: tofuLinesEnv(workdir) });
try {
  const cookie = await product.adminCookie();

  /** One run of `lines` lines with `watchers` subscribers reading along. */
  async function measure(watchers, lines = LINES) {
    const run = await createGatedRun({ base: product.base, cookie, workdir, goFile, lines });
    const readers = await startWatchers({
      url: `${product.base}/api/v1/deployments/${run.id}/logs`,
      headers: { cookie },
      count: watchers,
      mode: 'drain',
    });
    let stopped;
    let cutAt;
    try {
      if (!readers.ready.opened) throw new Error(`no stream opened: ${JSON.stringify(readers.ready)}`);
      run.go();
      stopped = await waitStopped(product.base, cookie, run.id, DEADLINE_MS);
      cutAt = wallClock();
      await readers.collect({ deadlineMs: 0 });
    } finally {
      await readers.stop();
    }
    if (!stopped) await cancelRun(product.base, cookie, run.id, 120_000);
    const stored = await storedLines(product.base, cookie, run.id);
    const inTime = stopped ? stored : stored.filter((l) => l.storedMs <= cutAt);
    const firstPrinted = Math.min(...stored.map((l) => l.printedMs));
    const lastStored = Math.max(...inTime.map((l) => l.storedMs));
    return {
      rate: inTime.length ? (inTime.length / Math.max(1, lastStored - firstPrinted)) * 1000 : 0,
      stored: inTime.length,
      cut: !stopped,
      opened: readers.ready.opened,
      printedToStoredP99: percentile(
        inTime.map((l) => l.storedMs - l.printedMs),
        99,
      ),
    };
  }

  // Warm-up (code paths, pool, JIT) with one watcher.
  await measure(1, 200);
  await sleep(500);

  // The watcher counts alternate within each repetition, so drift on a shared machine hits them alike. A count
  // whose run was cut is not run again: it is far off the targets already, and each cut run leaves the api storing
  // the rest of its burst, which keeps the bench within run.mjs's time limit.
  const results = WATCHERS.map(() => []);
  for (let rep = 0; rep < REPEATS; rep++) {
    for (const [k, watchers] of WATCHERS.entries()) {
      if (results[k].some((r) => r.cut)) continue;
      // The last run's readers are gone and their sockets closed before this one starts: no count pays for
      // another's teardown.
      await sleep(SETTLE_MS);
      results[k].push(await measure(watchers));
    }
  }
  const cuts = results.map((rs) => rs.filter((r) => r.cut).length);
  const runs = {};
  for (const [k, rs] of results.entries()) {
    runs[`rate${k}`] = median(rs.map((r) => r.rate));
    runs[`stored${k}`] = median(rs.map((r) => r.stored));
    runs[`p99_${k}`] = median(rs.map((r) => r.printedToStoredP99));
  }

  const n = (count) => count.toLocaleString('en');
  const w = (count) => `${n(count)} watcher${count === 1 ? '' : 's'}`;
  console.log(
    `\n${cpus().length} cores shared by the api, PostgreSQL and the watchers' process. Each run: ${n(LINES)} lines ` +
      `printed at once; a run still storing after ${DEADLINE_MS / 1000} s is cut and rated on what it stored by then.`,
  );
  report(`Tofu output ingest while the run is watched (${n(LINES)} lines a run)`, [
    {
      figure: `tofu lines stored/s, ${w(WATCHERS[0])}`,
      product: runs.rate0,
      baseline: '—',
      ratio: '—',
      target: '≥ 5,000',
    },
    ...WATCHERS.slice(1).map((watchers, i) => ({
      figure: `tofu lines stored/s, ${w(watchers)} (baseline: ${w(WATCHERS[0])})`,
      product: runs[`rate${i + 1}`],
      baseline: runs.rate0,
      ratio: ratio(runs[`rate${i + 1}`], runs.rate0),
      target: i === WATCHERS.length - 2 ? '≥ 0.90 and ≥ 5,000' : '≥ 5,000',
    })),
    {
      figure: `line printed → stored, p99 ms, ${WATCHERS.map(n).join(' / ')} watchers`,
      product: WATCHERS.map((_, k) => runs[`p99_${k}`].toFixed(0)).join(' / '),
      baseline: '—',
      ratio: '—',
      target: '—',
    },
    {
      figure: `lines stored (of ${n(LINES)}) before the ${DEADLINE_MS / 1000} s cut, ${WATCHERS.map(n).join(' / ')} watchers`,
      product: WATCHERS.map((_, k) => n(runs[`stored${k}`])).join(' / '),
      baseline: '—',
      ratio: '—',
      target: WATCHERS.map(() => n(LINES)).join(' / '),
    },
    {
      figure: `watchers whose stream opened before the lines, fewest in a run`,
      product: results.map((rs) => n(Math.min(...rs.map((r) => r.opened)))).join(' / '),
      baseline: '—',
      ratio: '—',
      target: WATCHERS.map(n).join(' / '),
    },
    {
      figure: `runs cut, ${WATCHERS.map(n).join(' / ')} watchers (a cut count is not repeated)`,
      product: cuts.join(' / '),
      baseline: '—',
      ratio: '—',
      target: WATCHERS.map(() => 0).join(' / '),
    },
  ]);
} finally {
  await product.stop();
  rmSync(dir, { recursive: true, force: true });
}
