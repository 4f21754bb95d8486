import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../src/database/embedded-postgres.js';
import { eventually } from './helpers/eventually.js';

const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const dataDirs: string[] = [];

/** The environment a fresh machine has: none of the product's variables set. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(PORT|PUBLIC_URL|DATABASE_URL|NATS_URL|SMTP_URL|CATALYST_|VITEST|NODE_ENV|KUBERNETES_)/.test(key))
      env[key] = value;
  }
  return { ...env, ...extra };
}

interface Product {
  child: ChildProcess;
  base: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): string;
  /** Resolves once /readyz answers 200; fails at once if the process exits first. */
  ready(): Promise<void>;
  stop(): Promise<void>;
}

/** The built api itself (no npm in between), so a signal reaches exactly the api process. */
async function startProduct(dataDir: string): Promise<Product> {
  const port = await freePort();
  const child = spawn(process.execPath, ['apps/api/dist/main.js'], {
    cwd: REPO_ROOT,
    env: cleanEnv({ PORT: String(port), CATALYST_DATA_DIR: dataDir }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  let gone = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      gone = true;
      resolve({ code, signal });
    }),
  );
  const base = `http://127.0.0.1:${port}`;
  return {
    child,
    base,
    exited,
    output: () => output,
    ready: async () => {
      await eventually(
        `/readyz 200 (output so far: ${output.slice(-2000)})`,
        async () => {
          if (gone) throw new Error(`the api exited before it was ready: ${output.slice(-2000)}`);
          return (await fetch(`${base}/readyz`).catch(() => undefined))?.status === 200;
        },
        60_000,
      );
    },
    stop: async () => {
      if (!gone) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** The built api started with `env` and left to exit by itself (a start it refuses): its code and stderr. */
async function runUntilExit(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ['apps/api/dist/main.js'], {
    cwd: REPO_ROOT,
    env: cleanEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, stderr };
}

function postmasterPid(dataDir: string): number {
  return Number.parseInt(
    readFileSync(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0] ?? '',
    10,
  );
}

/** Alive and not a zombie: an orphan's new parent may never reap it. */
function isRunning(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) [ZX] /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

afterAll(() => {
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

describe('the built product, started as the README says', () => {
  it('starts on an embedded PostgreSQL, serves the api and the SPA, and stops cleanly on SIGTERM', async () => {
    expect(existsSync(join(REPO_ROOT, 'apps/api/dist/main.js')), 'run `npm run build` first').toBe(true);
    const dataDir = mkdtempSync(join(tmpdir(), 'catalyst-boot-'));
    dataDirs.push(dataDir);
    const port = await freePort();
    const child = spawn('npm', ['start'], {
      cwd: REPO_ROOT,
      env: cleanEnv({ PORT: String(port), CATALYST_DATA_DIR: dataDir }),
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    // 'close' fires once every process holding the pipes — npm and the product under it — has exited.
    const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('close', (code, signal) => resolve({ code, signal })),
    );
    const base = `http://127.0.0.1:${port}`;
    try {
      await eventually(
        `/readyz 200 (output so far: ${output.slice(-2000)})`,
        async () => (await fetch(`${base}/readyz`).catch(() => undefined))?.status === 200,
        60_000,
      );
      const index = await fetch(`${base}/`, { headers: { accept: 'text/html' } });
      expect(index.status).toBe(200);
      expect(await index.text()).toContain('<div id="root">');
      const deepLink = await fetch(`${base}/sovereign/`, { headers: { accept: 'text/html' } });
      expect(deepLink.status).toBe(200);
      expect(deepLink.headers.get('content-type')).toContain('text/html');
      const unknownApi = await fetch(`${base}/api/v1/unknown`, { headers: { accept: 'text/html' } });
      expect(unknownApi.status).toBe(404);

      // First start generated a key and kept it private.
      const keyFile = join(dataDir, 'secret-key');
      expect(statSync(keyFile).mode & 0o777).toBe(0o600);
      expect(readFileSync(keyFile, 'utf8').trim().length).toBeGreaterThanOrEqual(32);
      expect(existsSync(join(dataDir, 'postgres', 'postmaster.pid'))).toBe(true);
    } finally {
      // As Ctrl-C or a supervisor does: the signal goes to the whole process group (npm and the product).
      if (child.pid) process.kill(-child.pid, 'SIGTERM');
    }
    // npm itself dies of the signal; what matters is that the product under it stopped cleanly.
    await closed;
    expect(output).not.toContain('shutdown failed');
    expect(existsSync(join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
    expect(output).toContain('embedded PostgreSQL stopped');
  });

  it('restarts after kill -9 of the api: the orphaned embedded PostgreSQL is stopped, then started anew', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'catalyst-boot-'));
    dataDirs.push(dataDir);
    const first = await startProduct(dataDir);
    await first.ready();
    const orphan = postmasterPid(dataDir);
    let second: Product | undefined;
    try {
      first.child.kill('SIGKILL');
      await first.exited;
      // What the issue describes: the api is gone, its PostgreSQL is not.
      expect(isRunning(orphan)).toBe(true);

      second = await startProduct(dataDir);
      await second.ready();
      expect(isRunning(orphan), 'the orphaned postmaster is gone').toBe(false);
      expect(postmasterPid(dataDir)).not.toBe(orphan);
      expect(second.output()).toContain('left running by a Catalyst that was killed');
    } finally {
      if (second) await second.stop();
      // A failed assertion must not leave the orphan running.
      if (isRunning(orphan)) process.kill(orphan, 'SIGKILL');
    }
    expect(existsSync(join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
  });

  it('still refuses to share a data directory with a running Catalyst, and leaves its PostgreSQL alone', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'catalyst-boot-'));
    dataDirs.push(dataDir);
    const first = await startProduct(dataDir);
    try {
      await first.ready();
      const postmaster = postmasterPid(dataDir);
      const second = await startProduct(dataDir);
      const { code } = await second.exited;
      expect(code).toBe(1);
      expect(second.output()).toContain('Is another Catalyst using this data directory?');
      expect(isRunning(postmaster)).toBe(true);
      expect((await fetch(`${first.base}/readyz`)).status).toBe(200);
    } finally {
      await first.stop();
    }
  });

  it('refuses to start on a bad variable and names it', async () => {
    const { code, stderr } = await runUntilExit({ PORT: 'eighty', SMTP_URL: 'http://mail' });
    expect(code).toBe(1);
    expect(stderr).toContain('PORT');
    expect(stderr).toContain('SMTP_URL');
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses to start in production without SMTP_URL unless the dev outbox is switched on', async () => {
    const { code, stderr } = await runUntilExit({ NODE_ENV: 'production' });
    expect(code).toBe(1);
    expect(stderr).toContain('SMTP_URL');
    expect(stderr).toContain('CATALYST_MAIL_OUTBOX=on');
  });
});
