// SSE readers for the live-stream benches (sse-fanout.mjs, ingest.mjs), in a process of their own so the api's CPU
// is measured apart from the readers' (both still share the machine's cores), plus helpers to drive a run through
// the HTTP API: create a deployment whose stand-in tofu (tofu-lines.mjs) waits for a go file, read what a run
// stored, cancel a run and wait for it to stop.
//
// A reader process (startWatchers) opens `count` streams of one URL with node:http, waits until each has answered
// 200 and sent its first event (streams refused or not answered within openTimeoutMs are dropped and counted), and
// then either
// - 'measure': notes when each event arrives (one clock reading per chunk) and its id; reader 0 also parses every
//   event's data (seq, stored `time`, the print stamp of tofu-lines' lines). At the end it works out deliveries per
//   second, line printed → received and stored → received percentiles over every (reader, line) pair, and gaps and
//   duplicates in every reader's ids; or
// - 'drain': reads and throws away (watchers that only cost the product their fan-out).
import { fork } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { provisionRequest } from './harness.mjs';
import { parseMessage, wallClock } from './tofu-lines.mjs';

const TERMINAL = ['ready', 'failed', 'cancelled', 'wiped'];
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

if (process.argv[2] === '--sse-watchers') runReaderProcess();

/**
 * Starts a reader process with `count` streams of `url`; resolves once every stream answered and sent its first
 * event, or `openTimeoutMs` passed (`ready`: { opened, refused: statuses, late }). `collect({ deadlineMs })` waits
 * until every stream ended (or the deadline) and returns the figures; `stop()` ends the process.
 */
export async function startWatchers({ url, headers = {}, count, mode = 'measure', openTimeoutMs = 60_000 }) {
  const child = fork(fileURLToPath(import.meta.url), ['--sse-watchers'], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const next = (type) =>
    new Promise((resolve, reject) => {
      const onMessage = (message) => {
        if (message.type !== type) return;
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(message);
      };
      const onExit = (code) => reject(new Error(`the SSE reader process exited (${code}) before '${type}'`));
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  const opened = next('ready');
  child.send({ cmd: 'open', url, headers, count, mode, openTimeoutMs });
  const ready = await opened;
  return {
    ready,
    pid: child.pid,
    async collect({ deadlineMs }) {
      const result = next('result');
      child.send({ cmd: 'collect', deadlineMs });
      return result;
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

function runReaderProcess() {
  const agent = new http.Agent({ keepAlive: false, maxSockets: Number.POSITIVE_INFINITY });
  /** @type {ReturnType<typeof reader>[]} */
  let readers = [];
  let mode = 'measure';
  /** seq → what reader 0 parsed of the event. */
  const events = new Map();

  function reader(index, url, headers) {
    const r = { index, status: 0, ended: false, firstAt: 0, buffer: '', last: 0, gaps: 0, dups: 0, bytes: 0 };
    r.seqs = [];
    r.at = [];
    r.request = http.get(url, { agent, headers: { accept: 'text/event-stream', ...headers } }, (res) => {
      r.status = res.statusCode ?? 0;
      if (r.status !== 200) {
        res.resume();
        r.ended = true;
        return;
      }
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        const now = wallClock();
        if (!r.firstAt) r.firstAt = now;
        if (mode === 'drain') {
          r.bytes += chunk.length;
          return;
        }
        const buffer = r.buffer + chunk;
        let start = 0;
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n', start)) {
          if (buffer.startsWith('id: ', start)) {
            const seq = Number(buffer.slice(start + 4, buffer.indexOf('\n', start)));
            if (seq === r.last + 1) r.last = seq;
            else if (seq <= r.last) r.dups++;
            else {
              r.gaps++;
              r.last = seq;
            }
            r.seqs.push(seq);
            r.at.push(now);
            if (index === 0) parseEvent(seq, buffer.slice(start, end));
          }
          start = end + 2;
        }
        r.buffer = buffer.slice(start);
      });
      res.on('end', () => {
        r.ended = true;
      });
      res.on('error', () => {
        r.ended = true;
      });
    });
    r.request.on('error', () => {
      r.ended = true;
    });
    return r;
  }

  function parseEvent(seq, frame) {
    const at = frame.indexOf('\ndata: ');
    const type = /\nevent: ([^\n]*)/.exec(frame)?.[1];
    const data = JSON.parse(frame.slice(at + 7));
    const line = type === 'log' ? parseMessage(String(data.line ?? '')) : undefined;
    events.set(seq, {
      type,
      storedMs: Date.parse(data.time),
      printedMs: line?.printedMs,
      status: data.status,
    });
  }

  async function open({ url, headers, count, openTimeoutMs }) {
    const deadline = Date.now() + openTimeoutMs;
    // In waves, so the api is not asked for 1,000 streams in the same instant.
    for (let i = 0; i < count; i += 50) {
      for (let j = i; j < Math.min(count, i + 50); j++) readers.push(reader(j, url, headers));
      while (readers.some((r) => !r.ended && !r.firstAt) && Date.now() < deadline) await sleep(5);
    }
    // Streams refused, or not answered in time (dropped: the figures are about the streams that opened).
    const refused = readers.filter((r) => r.status && r.status !== 200).map((r) => r.status);
    const late = readers.filter((r) => !r.firstAt && (!r.status || r.status === 200)).length;
    for (const r of readers) if (!r.firstAt) r.request.destroy();
    readers = readers.filter((r) => r.firstAt);
    return { opened: readers.length, refused, late };
  }

  async function collect({ deadlineMs }) {
    const deadline = Date.now() + deadlineMs;
    while (readers.some((r) => !r.ended) && Date.now() < deadline) await sleep(20);
    const cut = readers.some((r) => !r.ended);
    for (const r of readers) r.request.destroy();
    if (mode === 'drain') {
      return {
        cut,
        ended: readers.filter((r) => r.ended).length,
        bytes: readers.reduce((s, r) => s + r.bytes, 0),
      };
    }
    // The last event any reader got (the run's final event unless the run was cut).
    const finalSeq = Math.max(0, ...readers.map((r) => r.last));
    const lineCount = [...events.values()].filter((e) => e.printedMs !== undefined).length;
    let deliveries = 0;
    let firstAt = Number.POSITIVE_INFINITY;
    let lastAt = 0;
    let n = 0;
    for (const r of readers) n += r.seqs.length;
    const printedToReceived = new Float64Array(n);
    const storedToReceived = new Float64Array(n);
    for (const r of readers) {
      for (let k = 0; k < r.seqs.length; k++) {
        const event = events.get(r.seqs[k]);
        if (event?.printedMs === undefined) continue;
        const at = r.at[k];
        printedToReceived[deliveries] = at - event.printedMs;
        storedToReceived[deliveries] = at - event.storedMs;
        deliveries++;
        if (at < firstAt) firstAt = at;
        if (at > lastAt) lastAt = at;
      }
    }
    const printed = printedToReceived.subarray(0, deliveries).sort();
    const stored = storedToReceived.subarray(0, deliveries).sort();
    const pct = (sorted, p) =>
      sorted.length
        ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]
        : Number.NaN;
    return {
      cut,
      readers: readers.length,
      // Readers short of that last event: dropped, or behind when the run was cut.
      incomplete: readers.filter((r) => r.last < finalSeq).length,
      gaps: readers.reduce((s, r) => s + r.gaps, 0),
      dups: readers.reduce((s, r) => s + r.dups, 0),
      lines: lineCount,
      finalStatus: events.get(finalSeq)?.status,
      deliveries,
      deliveriesPerSecond:
        deliveries > 1 && lastAt > firstAt ? (deliveries / (lastAt - firstAt)) * 1000 : Number.NaN,
      printedP50: pct(printed, 50),
      printedP99: pct(printed, 99),
      storedP50: pct(stored, 50),
      storedP99: pct(stored, 99),
    };
  }

  process.on('message', async (message) => {
    if (message.cmd === 'open') {
      mode = message.mode;
      process.send({ type: 'ready', ...(await open(message)) });
    } else if (message.cmd === 'collect') {
      process.send({ type: 'result', ...(await collect(message)) });
      process.disconnect();
      agent.destroy();
    }
  });
}

/**
 * The product's environment for a tofu-lines run: the stand-in as tofu, its control file in the tofu workdir (see
 * tofu-lines.mjs), stream caps that fit 1,000 readers, runs of one project not queued behind each other, and every
 * outside system at a closed loopback port.
 */
export function tofuLinesEnv(workdir) {
  return {
    CATALYST_TOFU_BIN: fileURLToPath(new URL('./tofu-lines.mjs', import.meta.url)),
    CATALYST_TOFU_WORKDIR: workdir,
    CATALYST_SSE_MAX_STREAMS: '5000',
    CATALYST_SSE_MAX_STREAMS_PER_USER: '5000',
    CATALYST_MAX_RUNS_PER_PROJECT: '20',
    CATALYST_DNS_RESOLVER: '127.0.0.1:9',
    HCLOUD_ENDPOINT: 'http://127.0.0.1:9/v1',
  };
}

let runNumber = 0;

/**
 * Creates a deployment whose tofu plan prints `lines` lines (`rate` a second; 0: at once) once `goFile` exists
 * (removed here first). Returns its
 * id and go(), which creates the go file and returns when that was.
 */
export async function createGatedRun({ base, cookie, workdir, goFile, lines, rate = 0 }) {
  rmSync(goFile, { force: true });
  writeFileSync(`${workdir}/tofu-lines.json`, JSON.stringify({ lines, rate, goFile, exitCode: 1 }));
  const subdomain = `bench${process.pid}r${++runNumber}`;
  const response = await fetch(`${base}/api/v1/deployments`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/json' },
    body: JSON.stringify(provisionRequest(subdomain)),
  });
  if (response.status !== 201) throw new Error(`create: ${response.status} ${await response.text()}`);
  const { id } = await response.json();
  return {
    id,
    go() {
      const at = wallClock();
      writeFileSync(goFile, '');
      return at;
    },
  };
}

/** The deployment's status (GET /api/v1/deployments/:id). */
export async function statusOf(base, cookie, id) {
  const response = await fetch(`${base}/api/v1/deployments/${id}`, { headers: { cookie } });
  if (response.status !== 200) throw new Error(`snapshot: ${response.status} ${await response.text()}`);
  return (await response.json()).status;
}

/** Waits until the run stopped; true if it did within `limitMs`. */
export async function waitStopped(base, cookie, id, limitMs) {
  const deadline = Date.now() + limitMs;
  while (Date.now() < deadline) {
    if (TERMINAL.includes(await statusOf(base, cookie, id))) return true;
    await sleep(100);
  }
  return false;
}

/** Asks the run to stop (a bench cut it short) and waits until it did; true if it did within `limitMs`. */
export async function cancelRun(base, cookie, id, limitMs) {
  await fetch(`${base}/api/v1/deployments/${id}/cancel`, { method: 'POST', headers: { cookie } });
  return waitStopped(base, cookie, id, limitMs);
}

/**
 * Everything the run stored, read once through its stream (it ends because the run stopped): for each tofu-lines
 * line, its print stamp and stored time (epoch ms).
 */
export async function storedLines(base, cookie, id) {
  const response = await fetch(`${base}/api/v1/deployments/${id}/logs`, {
    headers: { cookie, accept: 'text/event-stream' },
    signal: AbortSignal.timeout(120_000),
  });
  if (response.status !== 200) throw new Error(`stream: ${response.status} ${await response.text()}`);
  const text = await response.text();
  const lines = [];
  for (const frame of text.split('\n\n')) {
    const data = /^data: (.*)$/m.exec(frame)?.[1];
    if (!data || !/^event: log$/m.test(frame)) continue;
    const event = JSON.parse(data);
    const line = parseMessage(String(event.line ?? ''));
    if (line) lines.push({ i: line.i, printedMs: line.printedMs, storedMs: Date.parse(event.time) });
  }
  return lines;
}

/** VmRSS of a process in MiB (Linux /proc), or NaN once it is gone. */
export function rssMiB(pid) {
  try {
    const kib = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
    return kib / 1024;
  } catch {
    return Number.NaN;
  }
}

/** Samples a process's RSS every `everyMs` until stop(), which returns the peak (MiB). */
export function sampleRss(pid, everyMs = 100) {
  let peak = rssMiB(pid);
  const timer = setInterval(() => {
    const now = rssMiB(pid);
    if (now > peak) peak = now;
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      const now = rssMiB(pid);
      if (now > peak) peak = now;
      return peak;
    },
  };
}
