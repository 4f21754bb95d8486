import { spawn } from 'node:child_process';
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
    if (!/^(PORT|PUBLIC_URL|DATABASE_URL|NATS_URL|SMTP_URL|CATALYST_|VITEST|NODE_ENV)/.test(key))
      env[key] = value;
  }
  return { ...env, ...extra };
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

  it('refuses to start on a bad variable and names it', async () => {
    const child = spawn(process.execPath, ['apps/api/dist/main.js'], {
      cwd: REPO_ROOT,
      env: cleanEnv({ PORT: 'eighty', SMTP_URL: 'http://mail' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toContain('PORT');
    expect(stderr).toContain('SMTP_URL');
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
