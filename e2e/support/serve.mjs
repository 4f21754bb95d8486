// Starts what the browser tests talk to: a real SMTP peer (with a small HTTP inbox for the tests), the
// Hetzner Cloud emulator of the api's tests, and the built product on a fresh embedded PostgreSQL,
// exactly as `npm start` runs it.
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SMTPServer } from 'smtp-server';
import { E2E_HETZNER } from './hetzner.mjs';
import { E2E_PORTS } from './ports.mjs';

// The emulator is TypeScript (apps/api/test/fixtures/hetzner/): loaded through the api's dev loader.
await import('@oxc-node/core/register');
const { HetznerEmulator } = await import('../../apps/api/test/fixtures/hetzner/hetzner.emulator.ts');
const hetzner = new HetznerEmulator();
// The api checks tokens (and tofu runs) against it: it knows the tests' good token and no other.
const hcloudEndpoint = await hetzner.start();
hetzner.addToken({ token: E2E_HETZNER.token, permission: 'read-write', projectId: E2E_HETZNER.projectId });

// The cluster the product runs on, where tenants' apps go: the api tests' kube-apiserver emulator (https,
// its certificate pinned in the kubeconfig) with its helm-controller, which brings an app's release to
// Ready a moment after it is created, so the tenant sees "Installing…" turn into "Running".
const { KubeApiServerEmulator } = await import(
  '../../apps/api/test/fixtures/kube/kube-apiserver.emulator.ts'
);
const kube = new KubeApiServerEmulator({ tls: true });
await kube.start();
kube.startHelmController({ delayMs: 1_500 });

const mails = [];
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  onData(stream, session, callback) {
    const chunks = [];
    stream.on('data', (chunk) => chunks.push(chunk));
    stream.on('end', () => {
      mails.push({
        to: session.envelope.rcptTo.map((r) => r.address),
        raw: Buffer.concat(chunks).toString('utf8'),
      });
      callback();
    });
  },
});
await new Promise((resolve) => smtp.listen(E2E_PORTS.smtp, '127.0.0.1', resolve));

// The tests' side door: read mails, set the tofu fixture's knobs, restart the product.
const inbox = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  res.setHeader('content-type', 'application/json');
  if (req.method === 'POST' && url.pathname === '/tofu-control') {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      writeFileSync(tofuControl, Buffer.concat(chunks).toString('utf8') || '{}');
      res.end('{}');
    });
    return;
  }
  if (req.method === 'POST' && url.pathname === '/restart') {
    void restartProduct().then(
      () => res.end('{}'),
      (error) => {
        res.statusCode = 500;
        res.end(JSON.stringify({ error: String(error) }));
      },
    );
    return;
  }
  const to = url.searchParams.get('to');
  res.end(JSON.stringify(mails.filter((m) => !to || m.to.includes(to))));
});
await new Promise((resolve) => inbox.listen(E2E_PORTS.inbox, '127.0.0.1', resolve));

const dataDir = mkdtempSync(join(tmpdir(), 'catalyst-e2e-'));
const kubeconfig = join(dataDir, 'kubeconfig');
writeFileSync(kubeconfig, kube.kubeconfig());

// A `tofu` for the product: the api's test fixture behind a wrapper (as apps/api/test/helpers/tofu-bin.ts
// does), because the api passes tofu only the variables it chooses, so the fixture's knobs travel in the wrapper.
const tofuDir = join(dataDir, 'tofu-bin');
mkdirSync(tofuDir);
const tofuFixture = fileURLToPath(new URL('../../apps/api/test/fixtures/tofu/tofu.mjs', import.meta.url));
const tofuControl = join(tofuDir, 'control.json');
writeFileSync(tofuControl, JSON.stringify({ resourceDelayMs: 50 }));
const tofuBin = join(tofuDir, 'tofu');
writeFileSync(
  tofuBin,
  `#!/bin/sh\nCATALYST_TOFU_FIXTURE_CONTROL='${tofuControl}' exec '${process.execPath}' '${tofuFixture}' "$@"\n`,
);
chmodSync(tofuBin, 0o755);
const tofuWorkdir = join(dataDir, 'tofu-work');
mkdirSync(tofuWorkdir);
const productEnv = {
  ...process.env,
  PORT: String(E2E_PORTS.app),
  PUBLIC_URL: `http://127.0.0.1:${E2E_PORTS.app}`,
  CATALYST_DATA_DIR: dataDir,
  SMTP_URL: `smtp://127.0.0.1:${E2E_PORTS.smtp}`,
  CATALYST_ADMIN_EMAILS: 'admin@e2e.test',
  LOG_LEVEL: 'warn',
  CATALYST_TOFU_BIN: tofuBin,
  CATALYST_TOFU_WORKDIR: tofuWorkdir,
  HCLOUD_ENDPOINT: hcloudEndpoint,
  // Short leases, so a restarted api takes over runs quickly.
  CATALYST_RUN_LEASE_TTL: '3s',
  KUBECONFIG: kubeconfig,
};

let product;
let restarting = false;
function startProduct() {
  product = spawn(process.execPath, ['apps/api/dist/main.js'], { stdio: 'inherit', env: productEnv });
  product.once('exit', (code) => {
    if (!restarting) void stop(code ?? 1);
  });
}

/** Stops the product (SIGTERM, as an orchestrator would) and starts it again on the same data. */
async function restartProduct() {
  restarting = true;
  const exited = new Promise((resolve) => product.once('exit', resolve));
  product.kill('SIGTERM');
  await exited;
  startProduct();
  restarting = false;
  for (let i = 0; i < 300; i++) {
    const ready = await fetch(`http://127.0.0.1:${E2E_PORTS.app}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the product did not come back');
}
startProduct();

let stopping = false;
async function stop(code) {
  if (stopping) return;
  stopping = true;
  if (product.exitCode === null) {
    const exited = new Promise((resolve) => product.once('exit', resolve));
    product.kill('SIGTERM');
    await exited;
  }
  inbox.close();
  smtp.close();
  await hetzner.stop();
  await kube.stop();
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(code);
}
process.once('SIGTERM', () => void stop(0));
process.once('SIGINT', () => void stop(0));
