import { rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { PDNS_TEST_API_KEY, PowerDnsServer } from '../fixtures/powerdns/powerdns-server.js';
import { startHetzner } from './hetzner.js';
import { signIn } from './sign-in.js';
import { SmtpPeer } from './smtp-peer.js';
import { SseClient } from './sse-client.js';
import { startTestApp, type TestApp } from './test-app.js';
import { fixtureTofuBin } from './tofu-bin.js';

/** An answer of the api under test, read once. */
export interface ApiAnswer {
  status: number;
  text: string;
  json: () => ReturnType<typeof JSON.parse>;
}

/**
 * What a provisioning run needs around the api under test: a real PowerDNS, an SMTP peer, the Hetzner emulator,
 * the tofu stand-in, the api listening on a real port with an operator (ops@catalyst.test) signed in, and a
 * database client. The new Sovereign's kube-apiserver emulator(s) are the test's own.
 */
export interface ProvisioningStack {
  pdns: PowerDnsServer;
  smtp: SmtpPeer;
  hetzner: Awaited<ReturnType<typeof startHetzner>>;
  tofu: ReturnType<typeof fixtureTofuBin>;
  t: TestApp;
  base: string;
  cookie: string;
  db: pg.Client;
  /** A request as the signed-in operator. */
  api(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiAnswer>;
  /** The run's event stream as the signed-in operator, from after `lastEventId` when given. */
  stream(id: string, lastEventId?: number): Promise<SseClient>;
  close(): Promise<void>;
}

export async function startProvisioningStack(options: {
  /** Where the stand-in's servers and load balancers are (one address, or one per region). */
  publicIpv4: string | Record<string, string>;
  /** More api environment (the kube-apiserver port, timeouts, …). */
  env: Record<string, string>;
}): Promise<ProvisioningStack> {
  const pdns = new PowerDnsServer();
  await pdns.start();
  const smtp = new SmtpPeer();
  const tofu = fixtureTofuBin({ publicIpv4: options.publicIpv4 });
  const hetzner = await startHetzner();
  const t = await startTestApp({
    env: {
      SMTP_URL: await smtp.start(),
      CATALYST_ADMIN_EMAILS: 'ops@catalyst.test',
      PDNS_API_URL: pdns.apiUrl,
      PDNS_API_KEY: PDNS_TEST_API_KEY,
      CATALYST_NAMESERVERS: 'ns1.catalyst.test,ns2.catalyst.test',
      CATALYST_TOFU_BIN: tofu.bin,
      CATALYST_TOFU_WORKDIR: `${tofu.dir}/work`,
      HCLOUD_ENDPOINT: hetzner.baseUrl,
      ...options.env,
    },
  });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
  const cookie = await signIn(t.app, smtp, 'ops@catalyst.test');
  const db = new pg.Client({ connectionString: t.databaseUrl });
  await db.connect();
  return {
    pdns,
    smtp,
    hetzner,
    tofu,
    t,
    base,
    cookie,
    db,
    async api(method, path, body, headers = {}) {
      const response = await fetch(`${base}${path}`, {
        method,
        headers: {
          cookie,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, text, json: () => JSON.parse(text) };
    },
    stream(id, lastEventId) {
      return new SseClient(`${base}/api/v1/deployments/${id}/logs`, {
        cookie,
        ...(lastEventId ? { 'last-event-id': String(lastEventId) } : {}),
      }).open();
    },
    async close() {
      await db.end();
      await t.close();
      await smtp.stop();
      await pdns.stop();
      await hetzner.stop();
      rmSync(tofu.dir, { recursive: true, force: true });
    },
  };
}
