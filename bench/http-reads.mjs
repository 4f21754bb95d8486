// Fast reads: GET /api/v1/deployments/:id (signed in) and GET /healthz, each against a bare Fastify route serving the
// exact same body, both under the same load (50 connections) in the same run, alternating, medians of 3. Besides
// throughput and p99 it prints the CPU the serving processes spent per request (the api and its PostgreSQL processes
// vs the bare server's one process, from /proc), which other load on a shared machine disturbs much less.
// Usage: npm run build && node bench/http-reads.mjs. Prints figures; asserts nothing.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadTest, medianOf, provisionRequest, ratio, report, SMOKE, startProduct } from './lib/harness.mjs';

const CONNECTIONS = 50;
const DURATION_MS = SMOKE ? 1_000 : 5_000;
/** loadTest's warm-up before it starts counting (its requests use CPU too). */
const WARM_UP_MS = Math.min(1_000, DURATION_MS / 5);
/** Linux's clock ticks per second in /proc/<pid>/stat (USER_HZ). */
const TICKS_PER_SECOND = 100;

/** CPU time (ms) a process has used so far, from /proc; undefined where there is no /proc. */
function cpuMsOf(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** The PostgreSQL processes serving the product: the postmaster's children (its backends among them). */
function postgresPids(dataDir) {
  const pidFile = join(dataDir, 'db', 'postgres', 'postmaster.pid');
  if (!existsSync(pidFile) || !existsSync('/proc')) return [];
  const postmaster = readFileSync(pidFile, 'utf8').split('\n')[0];
  return readdirSync('/proc').filter((entry) => {
    if (!/^\d+$/.test(entry)) return false;
    try {
      return readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1].split(' ')[1] === postmaster;
    } catch {
      return false;
    }
  });
}

/**
 * loadTest plus the CPU the serving processes spent per request (µs): a figure a shared machine disturbs far less
 * than throughput, since other load slows a process down without making its requests cost more CPU.
 */
async function measured(url, headers, pids) {
  const sample = () => new Map(pids().map((pid) => [pid, cpuMsOf(pid)]));
  const before = sample();
  const result = await loadTest({ url, connections: CONNECTIONS, durationMs: DURATION_MS, headers });
  // A process that started meanwhile (a new pooled connection's backend) counts from zero; one that ended is lost.
  let cpuMs = 0;
  for (const [pid, ms] of sample()) if (ms !== undefined) cpuMs += ms - (before.get(pid) ?? 0);
  const requests = (result.requestsPerSecond * (DURATION_MS + WARM_UP_MS)) / 1000;
  return { ...result, cpuUsPerRequest: (cpuMs * 1000) / requests };
}

if (process.argv[2] === '--bare-server') {
  await serveBare();
} else {
  await main();
}

/**
 * The baseline, in a process of its own like the product: Fastify with nothing but two routes answering the bodies
 * the product answered (read from stdin), as JSON. Prints its port.
 */
async function serveBare() {
  const { default: Fastify } = await import('fastify');
  let input = '';
  for await (const chunk of process.stdin) input += chunk;
  const { snapshot, health } = JSON.parse(input);
  const app = Fastify({ logger: false });
  app.get('/api/v1/deployments/:id', (_request, reply) => {
    reply.type('application/json; charset=utf-8').send(snapshot);
  });
  app.get('/healthz', (_request, reply) => {
    reply.type('application/json; charset=utf-8').send(health);
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  process.stdout.write(`${app.server.address().port}\n`);
}

/** Starts the bare server with these bodies; returns its base URL and stop(). */
async function startBare(bodies) {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--bare-server'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  child.stdin.end(JSON.stringify(bodies));
  const port = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (out.includes('\n')) resolve(Number(out.trim()));
    });
    child.once('exit', (code) => reject(new Error(`the bare server exited (${code})`)));
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return {
    base: `http://127.0.0.1:${port}`,
    pid: child.pid,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function main() {
  const product = await startProduct();
  let bare;
  try {
    const cookie = await product.adminCookie();
    const created = await fetch(`${product.base}/api/v1/deployments`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify(provisionRequest('bench')),
    });
    if (created.status !== 201) throw new Error(`create: ${created.status} ${await created.text()}`);
    const { id } = await created.json();
    // The run stops at preflight (no tofu here); wait for it to settle so every read serves the same body.
    const snapshotPath = `/api/v1/deployments/${id}`;
    let snapshot;
    for (let waited = 0; ; waited += 100) {
      const response = await fetch(`${product.base}${snapshotPath}`, { headers: { cookie } });
      if (response.status !== 200) throw new Error(`snapshot: ${response.status} ${await response.text()}`);
      snapshot = await response.text();
      if (!['queued', 'running'].includes(JSON.parse(snapshot).status) || waited > 15_000) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const health = await (await fetch(`${product.base}/healthz`)).text();
    bare = await startBare({ snapshot, health });

    // Product and baseline alternate within each repetition, so drift on a shared machine hits both alike.
    // CPU is counted for the api and its PostgreSQL processes, against the bare server's one process.
    const productPids = () => [product.pid, ...postgresPids(product.dataDir)];
    const barePids = () => [bare.pid];
    const runs = await medianOf(async () => {
      const p = await measured(`${product.base}${snapshotPath}`, { cookie }, productPids);
      const b = await measured(`${bare.base}${snapshotPath}`, {}, barePids);
      const ph = await measured(`${product.base}/healthz`, {}, productPids);
      const bh = await measured(`${bare.base}/healthz`, {}, barePids);
      return {
        snapshotCpu: p.cpuUsPerRequest,
        bareSnapshotCpu: b.cpuUsPerRequest,
        healthCpu: ph.cpuUsPerRequest,
        bareHealthCpu: bh.cpuUsPerRequest,
        snapshotRps: p.requestsPerSecond,
        snapshotP99: p.p99Ms,
        snapshotErrors: p.errors,
        bareSnapshotRps: b.requestsPerSecond,
        bareSnapshotP99: b.p99Ms,
        healthRps: ph.requestsPerSecond,
        healthP99: ph.p99Ms,
        healthErrors: ph.errors,
        bareHealthRps: bh.requestsPerSecond,
        bareHealthP99: bh.p99Ms,
      };
    });

    report(`HTTP reads, ${CONNECTIONS} connections (body ${Buffer.byteLength(snapshot)} bytes)`, [
      {
        figure: 'GET /api/v1/deployments/:id, req/s',
        product: runs.snapshotRps,
        baseline: runs.bareSnapshotRps,
        ratio: ratio(runs.snapshotRps, runs.bareSnapshotRps),
        target: '≥ 0.30',
      },
      {
        figure: 'GET /api/v1/deployments/:id, p99 ms',
        product: runs.snapshotP99,
        baseline: runs.bareSnapshotP99,
        ratio: ratio(runs.snapshotP99, runs.bareSnapshotP99),
        target: '—',
      },
      {
        figure: 'GET /api/v1/deployments/:id, CPU µs per request',
        product: runs.snapshotCpu,
        baseline: runs.bareSnapshotCpu,
        ratio: ratio(runs.snapshotCpu, runs.bareSnapshotCpu),
        target: '—',
      },
      {
        figure: 'GET /healthz, req/s',
        product: runs.healthRps,
        baseline: runs.bareHealthRps,
        ratio: ratio(runs.healthRps, runs.bareHealthRps),
        target: '≥ 0.70',
      },
      {
        figure: 'GET /healthz, p99 ms',
        product: runs.healthP99,
        baseline: runs.bareHealthP99,
        ratio: ratio(runs.healthP99, runs.bareHealthP99),
        target: '—',
      },
      {
        figure: 'GET /healthz, CPU µs per request',
        product: runs.healthCpu,
        baseline: runs.bareHealthCpu,
        ratio: ratio(runs.healthCpu, runs.bareHealthCpu),
        target: '—',
      },
      {
        figure: 'non-2xx answers (snapshot / healthz)',
        product: `${runs.snapshotErrors} / ${runs.healthErrors}`,
        baseline: '0 / 0',
        ratio: '—',
        target: '0 / 0',
      },
    ]);
  } finally {
    await bare?.stop();
    await product.stop();
  }
}
