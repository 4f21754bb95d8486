// A real PowerDNS Authoritative server for the product under test: Debian's pdns_server with the sqlite3
// backend on loopback high ports, configured as the api tests' fixture configures it
// (apps/api/test/fixtures/powerdns/powerdns-server.ts). Not that module itself: it imports the product's
// embedded-postgres module, whose exit hook takes SIGTERM over and would end serve.mjs before it cleans up.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SCHEMA = '/usr/share/pdns-backend-sqlite3/schema/schema.sqlite3.sql';
export const PDNS_API_KEY = 'pdns-e2e-api-key';

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Starts pdns_server; resolves once its API answers. */
export async function startPowerDns() {
  const dir = mkdtempSync(join(tmpdir(), 'catalyst-e2e-pdns-'));
  const apiPort = await freePort();
  const dnsPort = await freePort();
  const database = join(dir, 'pdns.sqlite3');
  execFileSync('sqlite3', [database], { input: readFileSync(SCHEMA) });
  writeFileSync(
    join(dir, 'pdns.conf'),
    [
      'launch=gsqlite3',
      `gsqlite3-database=${database}`,
      'gsqlite3-dnssec=yes',
      'local-address=127.0.0.1',
      `local-port=${dnsPort}`,
      'api=yes',
      `api-key=${PDNS_API_KEY}`,
      'webserver-address=127.0.0.1',
      `webserver-port=${apiPort}`,
      'webserver-allow-from=127.0.0.0/8',
      `socket-dir=${dir}`,
      'security-poll-suffix=',
      'default-soa-content=ns1.@ hostmaster.@ 0 10800 3600 604800 3600',
      'loglevel=3',
      '',
    ].join('\n'),
  );
  const child = spawn(
    process.env.PDNS_SERVER_BIN ?? 'pdns_server',
    [`--config-dir=${dir}`, '--guardian=no', '--daemon=no', '--disable-syslog', '--write-pid=no'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk.toString();
  });
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`pdns_server exited: ${stderr}`);
    const ok = await fetch(`${apiUrl}/api/v1/servers/localhost`, {
      headers: { 'x-api-key': PDNS_API_KEY },
    }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { apiUrl, stop };
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`pdns_server did not come up: ${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
