// Starts what the browser tests talk to: a real SMTP peer (with a small HTTP inbox for the tests), the
// Hetzner Cloud emulator of the api's tests, and the built product on a fresh embedded PostgreSQL,
// exactly as `npm start` runs it. On demand (the side door) it also gives the product a real PowerDNS and
// plays a new Sovereign: its cluster (a second kube-apiserver emulator), its cloud-init post-back and its
// own Catalyst (a second product instance in CATALYST_MODE=sovereign) — see the handover journey.
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SMTPServer } from 'smtp-server';
import { E2E_HETZNER } from './hetzner.mjs';
import { E2E_PORTS } from './ports.mjs';
import { PDNS_API_KEY, startPowerDns } from './powerdns.mjs';

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

// The cluster of the Sovereigns the product provisions: the run's servers all report 127.0.0.1 (the tofu
// stand-in below), so the kubeconfig cloud-init posts back names this emulator, on the port the product
// expects a kube-apiserver on (CATALYST_KUBE_API_PORT). The Sovereign's own Catalyst runs on it too.
const sovereignKube = new KubeApiServerEmulator({ tls: true });
await sovereignKube.start();

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
    answer(res, restartProduct());
    return;
  }
  if (req.method === 'POST' && url.pathname === '/powerdns') {
    answer(
      res,
      readBody(req).then((body) => usePowerDns(body.enabled === true)),
    );
    return;
  }
  if (req.method === 'POST' && url.pathname === '/sovereign') {
    answer(
      res,
      readBody(req).then((body) => startSovereign(String(body.fqdn ?? ''))),
    );
    return;
  }
  if (req.method === 'POST' && url.pathname === '/sovereign/stop') {
    answer(res, stopSovereign());
    return;
  }
  const to = url.searchParams.get('to');
  res.end(JSON.stringify(mails.filter((m) => !to || m.to.includes(to))));
});
await new Promise((resolve) => inbox.listen(E2E_PORTS.inbox, '127.0.0.1', resolve));

/** Ends a side-door request with what `work` resolves to (JSON), or 500 and why. */
function answer(res, work) {
  void work.then(
    (value) => res.end(JSON.stringify(value ?? {})),
    (error) => {
      res.statusCode = 500;
      res.end(JSON.stringify({ error: String(error?.stack ?? error) }));
    },
  );
}

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : {};
}

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
  `#!/bin/sh\nCATALYST_TOFU_FIXTURE_PUBLIC_IPV4='127.0.0.1' CATALYST_TOFU_FIXTURE_CONTROL='${tofuControl}' exec '${process.execPath}' '${tofuFixture}' "$@"\n`,
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
  // A new Sovereign's kube-apiserver and its console (the second instance, when the journey starts it). The
  // console is named `localhost`, not 127.0.0.1, so the browser keeps its two sessions apart (cookies do
  // not separate ports).
  CATALYST_KUBE_API_PORT: String(sovereignKube.port),
  CATALYST_SOVEREIGN_CONSOLE_URL: `http://localhost:${E2E_PORTS.sovereign}`,
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

/** Waits until `url` answers 200: at most `ms`, and only while `child` runs. */
async function waitUntilReady(url, child, ms = 30_000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${url}: the process exited`);
    const ready = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not answer`);
}

// A real PowerDNS (Debian's pdns_server, as the api's tests run it), so a run gets past dns. Off unless a
// test turns it on: the other journeys show a run stopped at dns on a product without PowerDNS.
let pdns;
/** Restarts the product with PowerDNS configured (starting pdns_server first) or without it. */
async function usePowerDns(enabled) {
  if (enabled) {
    pdns ??= await startPowerDns();
    productEnv.PDNS_API_URL = pdns.apiUrl;
    productEnv.PDNS_API_KEY = PDNS_API_KEY;
    productEnv.CATALYST_NAMESERVERS = 'ns1.e2e.test,ns2.e2e.test';
  } else {
    delete productEnv.PDNS_API_URL;
    delete productEnv.PDNS_API_KEY;
    delete productEnv.CATALYST_NAMESERVERS;
  }
  await restartProduct();
  return { powerdns: enabled };
}

const { convergedKit } = await import('../../apps/api/test/helpers/kit.ts');
let sovereign;

/**
 * Plays the new Sovereign of the run that provisions `fqdn`, from what that run wrote for it (its
 * tofu.auto.tfvars.json, as cloud-init and Flux get them): Flux converges the kit on its cluster, the kit
 * starts its own Catalyst (CATALYST_MODE=sovereign, the facts file, the handover public key) on the
 * console port, and cloud-init posts the cluster's kubeconfig back with the run's one-time token.
 */
async function startSovereign(fqdn) {
  if (sovereign) throw new Error('a Sovereign is already running; stop it first');
  if (!/^[a-z0-9.-]+$/.test(fqdn)) throw new Error(`not an fqdn: ${fqdn}`);
  const tfvars = JSON.parse(readFileSync(join(tofuWorkdir, fqdn, 'tofu.auto.tfvars.json'), 'utf8'));
  convergedKit(sovereignKube);

  const dir = mkdtempSync(join(tmpdir(), 'catalyst-e2e-sovereign-'));
  const factsFile = join(dir, 'sovereign.json');
  writeFileSync(
    factsFile,
    JSON.stringify({
      fqdn: tfvars.sovereign_fqdn,
      deploymentId: tfvars.deployment_id,
      createdAt: new Date().toISOString(),
      ha: tfvars.ha_enabled,
      k3sVersion: tfvars.k3s_version,
      regions: tfvars.regions.map((r) => ({
        provider: r.provider,
        region: r.cloud_region,
        controlPlaneSize: r.control_plane_size,
        workerSize: r.worker_count > 0 ? r.worker_size : '',
        workerCount: r.worker_count,
      })),
      components: tfvars.components,
      orgName: tfvars.org_name,
    }),
  );
  const ownKubeconfig = join(dir, 'kubeconfig');
  writeFileSync(ownKubeconfig, sovereignKube.kubeconfig());
  const child = spawn(process.execPath, ['apps/api/dist/main.js'], {
    stdio: 'inherit',
    env: {
      ...process.env,
      PORT: String(E2E_PORTS.sovereign),
      PUBLIC_URL: `http://localhost:${E2E_PORTS.sovereign}`,
      CATALYST_DATA_DIR: dir,
      SMTP_URL: `smtp://127.0.0.1:${E2E_PORTS.smtp}`,
      LOG_LEVEL: 'warn',
      KUBECONFIG: ownKubeconfig,
      CATALYST_MODE: 'sovereign',
      CATALYST_SOVEREIGN_FILE: factsFile,
      // As the kit writes it (clusters/_template/bootstrap-kit/11-catalyst-platform.yaml).
      CATALYST_HANDOVER_PUBLIC_KEY: `-----BEGIN PUBLIC KEY-----\n${tfvars.handover_public_key}\n-----END PUBLIC KEY-----`,
    },
  });
  sovereign = { child, dir };
  await waitUntilReady(`http://127.0.0.1:${E2E_PORTS.sovereign}/readyz`, child, 60_000);

  // cloud-init's post-back (infra/hetzner/cloudinit-control-plane.tftpl post_kubeconfig): every region's control
  // plane posts its own, with its own one-time token. Every server of the test stack is 127.0.0.1, so each region's
  // kubeconfig names this one emulator.
  for (const [region, token] of Object.entries(tfvars.kubeconfig_bearer_tokens)) {
    const posted = await fetch(
      `${tfvars.catalyst_api_url}/api/v1/deployments/${tfvars.deployment_id}/kubeconfig`,
      {
        method: 'PUT',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/yaml' },
        body: sovereignKube.kubeconfig(),
      },
    );
    if (posted.status !== 204)
      throw new Error(`the kubeconfig post-back of ${region} got ${posted.status}: ${await posted.text()}`);
  }
  return { fqdn: tfvars.sovereign_fqdn, consoleUrl: productEnv.CATALYST_SOVEREIGN_CONSOLE_URL };
}

/** Stops the Sovereign's Catalyst (SIGTERM) and forgets its data. */
async function stopSovereign() {
  const running = sovereign;
  if (!running) return { stopped: false };
  sovereign = undefined;
  if (running.child.exitCode === null && running.child.signalCode === null) {
    const exited = new Promise((resolve) => running.child.once('exit', resolve));
    running.child.kill('SIGTERM');
    await exited;
  }
  rmSync(running.dir, { recursive: true, force: true });
  return { stopped: true };
}

let stopping = false;
async function stop(code) {
  if (stopping) return;
  stopping = true;
  if (product.exitCode === null) {
    const exited = new Promise((resolve) => product.once('exit', resolve));
    product.kill('SIGTERM');
    await exited;
  }
  await stopSovereign();
  inbox.close();
  smtp.close();
  await hetzner.stop();
  await kube.stop();
  await sovereignKube.stop();
  await pdns?.stop();
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(code);
}
process.once('SIGTERM', () => void stop(0));
process.once('SIGINT', () => void stop(0));
