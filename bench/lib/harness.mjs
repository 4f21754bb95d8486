// The benches' shared parts: the product as its own process on a throw-away embedded PostgreSQL, signed-in
// cookies through the real PIN flow, a small HTTP load generator, and the report every bench prints.
// Benches measure and print; they assert nothing (timings on shared machines are noise).
import { spawn } from 'node:child_process';
import { appendFileSync, chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { Pool } from 'undici';
import { freePort, startEmbeddedPostgres } from '../../apps/api/dist/database/embedded-postgres.js';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A seconds-long run inside `npm test` (bench/run.mjs --smoke): tiny sizes, one repetition, so benches cannot rot. */
export const SMOKE = process.env.BENCH_SMOKE === '1';

/** How many times each figure is measured (its median is reported). */
export const REPEATS = SMOKE ? 1 : 3;

export const ADMIN_EMAIL = 'bench-admin@catalyst.test';

/** The environment of a fresh machine: none of the product's own variables. */
function cleanEnv() {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (
      !/^(PORT|PUBLIC_URL|DATABASE_URL|NATS_URL|SMTP_URL|CATALYST_|VITEST|NODE_ENV|KUBERNETES_|BENCH_)/.test(
        key,
      )
    )
      env[key] = value;
  }
  return env;
}

let nextAddress = 1;

/**
 * Starts the built api (`npm run build` first) as its own process, on its own embedded PostgreSQL, mail in the dev
 * outbox. `env` adds or overrides variables. Returns its base URL, pid, database URL, sign-in helpers and stop().
 */
export async function startProduct({ env = {} } = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'catalyst-bench-'));
  // As root, the embedded PostgreSQL runs as the `postgres` user, which must be able to pass through.
  chmodSync(dataDir, 0o711);
  const database = await startEmbeddedPostgres(join(dataDir, 'db'), pino({ level: 'silent' }));
  const port = await freePort();
  const child = spawn(process.execPath, ['apps/api/dist/main.js'], {
    cwd: REPO_ROOT,
    env: {
      ...cleanEnv(),
      PORT: String(port),
      DATABASE_URL: database.url,
      CATALYST_DATA_DIR: dataDir,
      CATALYST_ADMIN_EMAILS: ADMIN_EMAIL,
      // Sign-ins come from distinct forwarded addresses, so the per-address PIN budgets do not limit a bench.
      CATALYST_TRUST_PROXY: '1',
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const base = `http://127.0.0.1:${port}`;
  for (let waited = 0; ; waited += 200) {
    if (child.exitCode !== null) throw new Error(`the api exited before it was ready: ${stderr}`);
    if ((await fetch(`${base}/readyz`).catch(() => undefined))?.status === 200) break;
    if (waited > 60_000) throw new Error(`the api was not ready within 60 s: ${stderr}`);
    await new Promise((r) => setTimeout(r, 200));
  }

  /** Signs `email` in through the PIN flow (the code read from the dev outbox); returns the Cookie header. */
  async function signIn(email) {
    const address = `10.77.${Math.floor(nextAddress / 250)}.${(nextAddress++ % 250) + 1}`;
    const headers = { 'content-type': 'application/json', 'x-forwarded-for': address };
    const requested = await fetch(`${base}/auth/pin/request`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ email }),
    });
    if (requested.status !== 202)
      throw new Error(`PIN request: ${requested.status} ${await requested.text()}`);
    const pin = await pinFromOutbox(join(dataDir, 'mail'), email);
    const verified = await fetch(`${base}/auth/pin/verify`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ email, pin }),
    });
    if (verified.status !== 200) throw new Error(`PIN verify: ${verified.status} ${await verified.text()}`);
    const cookie = /__Host-catalyst_session=[^;]+|catalyst_session=[^;]+/.exec(
      verified.headers.get('set-cookie') ?? '',
    )?.[0];
    if (!cookie) throw new Error('no session cookie');
    return cookie;
  }

  return {
    base,
    pid: child.pid,
    databaseUrl: database.url,
    dataDir,
    signIn,
    adminCookie: () => signIn(ADMIN_EMAIL),
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      await database.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The newest sign-in code mailed to `email` (dev outbox files, one per mail). */
async function pinFromOutbox(dir, email) {
  for (let waited = 0; waited < 10_000; waited += 50) {
    const files = readdirSync(dir, { withFileTypes: true }).filter((f) => f.isFile());
    const mails = files
      .map((f) => readFileSync(join(dir, f.name), 'utf8'))
      .filter((text) => text.includes(email))
      .map((text) => /sign-in code is (\d{6})/.exec(text)?.[1])
      .filter(Boolean);
    if (mails.length) return mails.at(-1);
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no sign-in code for ${email} in ${dir}`);
}

/**
 * Keeps `connections` requests in flight against `url` for `durationMs` (after a short warm-up) and returns the
 * throughput and latency percentiles. Non-2xx answers count as errors.
 */
export async function loadTest({ url, connections = 50, durationMs = SMOKE ? 1_000 : 5_000, headers = {} }) {
  const target = new URL(url);
  const pool = new Pool(target.origin, { connections, pipelining: 1 });
  const path = `${target.pathname}${target.search}`;
  const latencies = [];
  let errors = 0;
  const one = async () => {
    const started = performance.now();
    const response = await pool.request({ method: 'GET', path, headers });
    await response.body.dump();
    if (response.statusCode >= 300) errors++;
    return performance.now() - started;
  };
  const run = async (ms, record) => {
    const until = performance.now() + ms;
    await Promise.all(
      Array.from({ length: connections }, async () => {
        while (performance.now() < until) {
          const took = await one();
          if (record) latencies.push(took);
        }
      }),
    );
  };
  await run(Math.min(1_000, durationMs / 5), false);
  const started = performance.now();
  await run(durationMs, true);
  const elapsed = performance.now() - started;
  await pool.close();
  return {
    requestsPerSecond: (latencies.length / elapsed) * 1000,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    errors,
  };
}

export function median(values) {
  return percentile(values, 50);
}

/** The `p`th percentile (nearest rank) of `values`; NaN for none. */
export function percentile(values, p) {
  if (!values.length) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Runs `measure` REPEATS times and returns the median of each numeric field of its results. */
export async function medianOf(measure) {
  const runs = [];
  for (let i = 0; i < REPEATS; i++) runs.push(await measure(i));
  const result = {};
  for (const key of Object.keys(runs[0])) {
    result[key] = typeof runs[0][key] === 'number' ? median(runs.map((r) => r[key])) : runs.at(-1)[key];
  }
  return result;
}

const format = (value) =>
  typeof value === 'number'
    ? Number.isFinite(value)
      ? value >= 100
        ? value.toFixed(0)
        : value.toFixed(value >= 10 ? 1 : 2)
      : '—'
    : (value ?? '—');

/**
 * Prints a bench's figures as a table (product, bare baseline, ratio, target) and, when bench/run.mjs collects
 * results (BENCH_RESULTS names a file), appends it there as Markdown.
 */
export function report(title, rows) {
  const header = ['figure', 'Catalyst', 'bare baseline', 'ratio', 'target'];
  const cells = rows.map((r) => [r.figure, r.product, r.baseline, r.ratio, r.target].map(format));
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => String(c[i]).length)));
  const line = (c) => c.map((v, i) => String(v).padEnd(widths[i])).join('  ');
  console.log(`\n${title}${SMOKE ? ' (smoke run: sizes too small to mean anything)' : ''}`);
  console.log(line(header));
  for (const c of cells) console.log(line(c));
  if (process.env.BENCH_RESULTS) {
    const md = [
      `### ${title}`,
      '',
      `| ${header.join(' | ')} |`,
      `|${header.map(() => '---').join('|')}|`,
      ...cells.map((c) => `| ${c.join(' | ')} |`),
      '',
    ].join('\n');
    appendFileSync(process.env.BENCH_RESULTS, `${md}\n`);
  }
}

/** `product / baseline`, for the ratio column. */
export const ratio = (product, baseline) => (baseline ? product / baseline : Number.NaN);

/** A provision request the api accepts; `subdomain` makes each run's name its own. */
export function provisionRequest(subdomain) {
  return {
    org: {
      name: 'Bench Cloud',
      industry: 'Telecommunications',
      size: '10,000+',
      headquarters: 'Muscat, Oman',
      compliance: ['GDPR'],
    },
    topology: {
      regions: [
        {
          provider: 'hetzner',
          cloudRegion: 'fsn1',
          controlPlaneSize: 'cpx32',
          workerSize: 'cpx42',
          workerCount: 1,
        },
      ],
      haEnabled: false,
    },
    credentials: {
      hetznerToken: 'HcT0k3nForTests0nlyAbcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHI',
      hetznerProjectId: '1234567',
      sshPublicKey:
        'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl admin@bench',
    },
    components: ['harbor', 'trivy'],
    domain: { mode: 'pool', poolDomain: 'omani.works', subdomain },
    adminEmail: 'admin@bench.test',
  };
}
