// Live run streams at scale: SSE subscribers of one deployment while its tofu prints lines, against a bare node:http
// server writing the same-sized SSE frames to as many clients, in the same run.
// - Throughput: a burst of lines (printed as fast as tofu-lines can) to 1,000 subscribers: deliveries per second.
// - Memory: the api's peak RSS while it serves 1,000 subscribers, against its RSS idle after a warm-up run.
// - Latency: lines printed at a steady rate the bare server sustains with ease (20 a second to 1,000 subscribers,
//   100 a second to 100): line printed → received (p50/p99) and stored → received (p99, the fan-out alone; `time` is
//   the stored time, to the millisecond). A burst would measure queueing behind the throughput instead.
// - Correctness: every reader's ids, for gaps, duplicates, and readers that stopped short of the end.
// The api runs bench/lib/tofu-lines.mjs as tofu (it prints the lines with their print time, then fails the plan so
// the run stops and the streams end). Readers live in a process of their own (bench/lib/sse-watchers.mjs); the api,
// the bare server, PostgreSQL and the readers share this machine's cores.
// A run still streaming after DEADLINE_MS is cut (its figures cover what arrived) and its size is not repeated.
// Usage: npm run build && node bench/sse-fanout.mjs. Prints figures; asserts nothing.
import { fork } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { median, REPEATS, ratio, report, SMOKE, startProduct } from './lib/harness.mjs';
import {
  cancelRun,
  createGatedRun,
  rssMiB,
  sampleRss,
  startWatchers,
  tofuLinesEnv,
  waitStopped,
} from './lib/sse-watchers.mjs';
import { messageFor, wallClock } from './lib/tofu-lines.mjs';

/** A burst: `lines` printed at once, each delivered to every subscriber. */
const BURST = SMOKE ? { subscribers: 20, lines: 200, rate: 0 } : { subscribers: 1000, lines: 500, rate: 0 };
/** Steady streams for the latencies: few subscribers, more lines a second; many, fewer. */
const STEADY_SMALL = SMOKE
  ? { subscribers: 5, lines: 40, rate: 100 }
  : { subscribers: 100, lines: 500, rate: 100 };
const STEADY_LARGE = SMOKE
  ? { subscribers: 20, lines: 40, rate: 40 }
  : { subscribers: 1000, lines: 200, rate: 20 };
/** A run still streaming after this long is cut: its figures cover what arrived by then. */
const DEADLINE_MS = SMOKE ? 20_000 : 30_000;
/** The bare server writes up to this many lines (one res.write per frame and client) between event-loop turns. */
const YIELD_EVERY = 16;

if (process.argv[2] === '--bare-server') {
  serveBare();
} else {
  await main();
}

/**
 * The baseline, in a process of its own like the api: node:http; each client gets a `deployment` frame when it
 * connects. On 'go', every line becomes one frame shaped and sized like the api's (`seq`, `time` = when it is
 * written, tofu-lines' message), written to every client with its own res.write, at the given rate (0: at once);
 * every YIELD_EVERY lines it lets the event loop run and waits for the clients whose socket is full. Then a final
 * `deployment` frame, and every response ends.
 */
function serveBare() {
  let clients = [];
  let seq = 0;
  const frame = (type, data) => `id: ${++seq}\nevent: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const first = { seq: 1, time: new Date().toISOString(), type: 'deployment', status: 'queued' };
    res.write(`id: 1\nevent: deployment\ndata: ${JSON.stringify(first)}\n\n`);
    clients.push(res);
    res.on('close', () => {
      clients = clients.filter((c) => c !== res);
    });
  });
  process.on('message', async ({ cmd, lines, rate }) => {
    if (cmd !== 'go') return;
    seq = 1;
    const to = clients;
    clients = [];
    const start = wallClock();
    let sinceTurn = 0;
    for (let i = 1; i <= lines; i++) {
      const due = rate > 0 ? start + ((i - 1) * 1000) / rate : 0;
      if (due > wallClock()) {
        await sleep(due - wallClock());
        sinceTurn = 0;
      }
      const printedMs = wallClock();
      const chunk = frame('log', {
        seq: seq + 1,
        time: new Date(printedMs).toISOString(),
        line: messageFor(i, lines, printedMs),
        type: 'log',
        phase: 'tofu-plan',
        stream: 'stdout',
      });
      for (const res of to) res.write(chunk);
      if (++sinceTurn < YIELD_EVERY) continue;
      sinceTurn = 0;
      const full = to.filter((res) => res.writableNeedDrain);
      if (full.length)
        await Promise.all(
          full.map((res) => new Promise((resolve) => res.once('drain', resolve).once('close', resolve))),
        );
      await nextTurn();
    }
    const last = { seq: seq + 1, time: new Date().toISOString(), type: 'deployment', status: 'failed' };
    const final = frame('deployment', last);
    for (const res of to) res.end(final);
    process.send({ type: 'done' });
  });
  server.listen(0, '127.0.0.1', () => process.send({ type: 'port', port: server.address().port }));
}

async function startBare() {
  const child = fork(fileURLToPath(import.meta.url), ['--bare-server'], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const port = await new Promise((resolve, reject) => {
    child.once('message', (m) => resolve(m.port));
    child.once('exit', (code) => reject(new Error(`the bare server exited (${code})`)));
  });
  return {
    url: `http://127.0.0.1:${port}/logs`,
    pid: child.pid,
    go(lines, rate) {
      child.send({ cmd: 'go', lines, rate });
    },
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'catalyst-bench-sse-'));
  const workdir = join(dir, 'work');
  mkdirSync(workdir);
  const goFile = join(dir, 'go');
  const product = await startProduct({ env: tofuLinesEnv(workdir) });
  const bare = await startBare();
  try {
    const cookie = await product.adminCookie();

    /** One run of the api with `subscribers` readers of it: the figures the readers worked out, and the peak RSS. */
    async function measureProduct({ subscribers, lines, rate }) {
      const run = await createGatedRun({ base: product.base, cookie, workdir, goFile, lines, rate });
      const watchers = await startWatchers({
        url: `${product.base}/api/v1/deployments/${run.id}/logs`,
        headers: { cookie },
        count: subscribers,
      });
      try {
        if (!watchers.ready.opened) throw new Error(`no stream opened: ${JSON.stringify(watchers.ready)}`);
        const rss = sampleRss(product.pid);
        run.go();
        const result = await watchers.collect({ deadlineMs: DEADLINE_MS });
        const rssPeak = rss.stop();
        // A cut run is stopped, so the next starts on a quiet api.
        if (result.cut) await cancelRun(product.base, cookie, run.id, 120_000);
        else await waitStopped(product.base, cookie, run.id, 30_000);
        return { ...result, rssPeak };
      } finally {
        await watchers.stop();
      }
    }

    async function measureBare({ subscribers, lines, rate }) {
      const watchers = await startWatchers({ url: bare.url, count: subscribers });
      try {
        const rss = sampleRss(bare.pid);
        bare.go(lines, rate);
        const result = await watchers.collect({ deadlineMs: DEADLINE_MS });
        return { ...result, rssPeak: rss.stop() };
      } finally {
        await watchers.stop();
      }
    }

    // Warm-up (code paths, pool, JIT) with one reader; then the api's idle RSS, nobody watching.
    await measureProduct({ subscribers: 1, lines: BURST.lines, rate: 0 });
    await sleep(1000);
    const idleRss = rssMiB(product.pid);

    const cuts = [];
    // Gaps, duplicates and readers short of the end, summed over every run.
    const wrong = { product: [0, 0, 0], bare: [0, 0, 0] };
    // Streams that opened (answered and sent their first event before the lines began), of those asked for.
    const opened = { product: [0, 0], bare: [0, 0] };
    const tally = (into, r, size, streams) => {
      into[0] += r.gaps;
      into[1] += r.dups;
      into[2] += r.incomplete;
      streams[0] += r.readers;
      streams[1] += size.subscribers;
    };
    const label = ({ subscribers, lines, rate }) =>
      `${subscribers.toLocaleString('en')} subscribers × ${lines} lines${rate ? ` at ${rate}/s` : ' at once'}`;
    // Product and baseline alternate within each repetition, so drift on a shared machine hits both alike. A size
    // whose product run was cut is not run again: its figures are far off the targets already, and each cut run
    // leaves the api storing the rest of its burst, which keeps the bench within run.mjs's time limit.
    const sizes = { burst: BURST, small: STEADY_SMALL, large: STEADY_LARGE };
    const results = Object.fromEntries(Object.keys(sizes).map((key) => [key, { product: [], bare: [] }]));
    for (let rep = 0; rep < REPEATS; rep++) {
      for (const [key, size] of Object.entries(sizes)) {
        if (results[key].product.some((r) => r.cut)) continue;
        const p = await measureProduct(size);
        const b = await measureBare(size);
        results[key].product.push(p);
        results[key].bare.push(b);
        if (p.cut) cuts.push(`${label(size)}: ${p.lines} lines received by reader 0`);
        tally(wrong.product, p, size, opened.product);
        tally(wrong.bare, b, size, opened.bare);
      }
    }
    const med = (key, side, field) => median(results[key][side].map((r) => r[field]));
    const peak = (side) =>
      Math.max(...['burst', 'large'].flatMap((key) => results[key][side].map((r) => r.rssPeak)));
    const runs = {
      deliveries: med('burst', 'product', 'deliveriesPerSecond'),
      bareDeliveries: med('burst', 'bare', 'deliveriesPerSecond'),
      printedP50: med('large', 'product', 'printedP50'),
      printedP99: med('large', 'product', 'printedP99'),
      barePrintedP50: med('large', 'bare', 'printedP50'),
      barePrintedP99: med('large', 'bare', 'printedP99'),
      storedSmallP99: med('small', 'product', 'storedP99'),
      bareStoredSmallP99: med('small', 'bare', 'storedP99'),
      storedLargeP99: med('large', 'product', 'storedP99'),
      bareStoredLargeP99: med('large', 'bare', 'storedP99'),
      rss: peak('product'),
      bareRss: peak('bare'),
    };

    const L = STEADY_LARGE.subscribers.toLocaleString('en');
    console.log(
      `\n${cpus().length} cores shared by the api (or the bare server), PostgreSQL and the readers' process.\n` +
        `Throughput: ${label(BURST)}. Latency: ${label(STEADY_SMALL)}; ${label(STEADY_LARGE)}.`,
    );
    if (cuts.length) console.log(`Cut at ${DEADLINE_MS / 1000} s, still streaming: ${cuts.join('; ')}.`);
    report('SSE fan-out of one deployment (bare: node:http res.write of same-sized frames)', [
      {
        figure: `SSE deliveries/s, ${label(BURST)}`,
        product: runs.deliveries,
        baseline: runs.bareDeliveries,
        ratio: ratio(runs.deliveries, runs.bareDeliveries),
        target: '≥ 0.50',
      },
      {
        figure: `line printed → received, p50 ms, ${label(STEADY_LARGE)}`,
        product: runs.printedP50,
        baseline: runs.barePrintedP50,
        ratio: ratio(runs.printedP50, runs.barePrintedP50),
        target: '—',
      },
      {
        figure: `line printed → received, p99 ms, ${label(STEADY_LARGE)}`,
        product: runs.printedP99,
        baseline: runs.barePrintedP99,
        ratio: ratio(runs.printedP99, runs.barePrintedP99),
        target: '—',
      },
      {
        figure: `stored → received, p99 ms, ${label(STEADY_SMALL)}`,
        product: runs.storedSmallP99,
        baseline: runs.bareStoredSmallP99,
        ratio: ratio(runs.storedSmallP99, runs.bareStoredSmallP99),
        target: `< 50 ms`,
      },
      {
        figure: `stored → received, p99 ms, ${label(STEADY_LARGE)}`,
        product: runs.storedLargeP99,
        baseline: runs.bareStoredLargeP99,
        ratio: ratio(runs.storedLargeP99, runs.bareStoredLargeP99),
        target: '< 250 ms',
      },
      {
        figure: `RSS with ${L} subscribers, MiB (baseline: the api idle)`,
        product: runs.rss,
        baseline: idleRss,
        ratio: ratio(runs.rss, idleRss),
        target: '< 2 × idle',
      },
      {
        figure: `RSS of the bare server with ${L} clients, MiB`,
        product: '—',
        baseline: runs.bareRss,
        ratio: '—',
        target: '—',
      },
      {
        figure: 'streams opened / asked for, all runs',
        product: opened.product.join(' / '),
        baseline: opened.bare.join(' / '),
        ratio: '—',
        target: 'all',
      },
      {
        figure: 'gaps / duplicates / readers short of the end, all runs',
        product: wrong.product.join(' / '),
        baseline: wrong.bare.join(' / '),
        ratio: '—',
        target: '0 / 0 / 0',
      },
      {
        figure: `runs cut at ${DEADLINE_MS / 1000} s, still streaming (a cut size is not repeated)`,
        product: String(cuts.length),
        baseline: '—',
        ratio: '—',
        target: '0',
      },
    ]);
  } finally {
    await bare.stop();
    await product.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
