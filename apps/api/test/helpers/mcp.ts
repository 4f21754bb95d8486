import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Role } from '@catalyst/contracts';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { expect } from 'vitest';
import { KubeApiServerEmulator } from '../fixtures/kube/kube-apiserver.emulator.js';
import { signIn } from './sign-in.js';
import { SmtpPeer } from './smtp-peer.js';
import { startTestApp, type TestApp } from './test-app.js';

/*
 * The world the MCP tests run in: the real application on a real PostgreSQL, listening on a real port, with the
 * kube-apiserver emulator as the cluster tenants' apps run on and an SMTP peer for PIN sign-ins.
 */

export const ADMIN = 'admin@sovereign.test';
export const POOL = 'omani.homes';

export interface McpWorld {
  t: TestApp;
  kube: KubeApiServerEmulator;
  db: pg.Client;
  /** Base URL of the listening app, e.g. http://127.0.0.1:43121 */
  url: string;
  /** The CATALYST_ADMIN_EMAILS admin's session cookie. */
  admin: string;
  signIn(email: string, assignedRoles?: Role[]): Promise<string>;
  call(
    method: 'GET' | 'POST' | 'DELETE' | 'PUT',
    url: string,
    cookie?: string,
    payload?: unknown,
  ): ReturnType<TestApp['app']['inject']>;
  close(): Promise<void>;
}

let addresses = 0;

export async function startMcpWorld(): Promise<McpWorld> {
  const dir = mkdtempSync(join(tmpdir(), 'catalyst-mcp-'));
  const kube = new KubeApiServerEmulator({ tls: true });
  await kube.start();
  kube.startHelmController({ delayMs: 150 });
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, kube.kubeconfig());
  const smtp = new SmtpPeer();
  const t = await startTestApp({
    env: {
      KUBECONFIG: kubeconfig,
      SMTP_URL: await smtp.start(),
      CATALYST_ADMIN_EMAILS: ADMIN,
      CATALYST_TENANT_POOL_DOMAINS: POOL,
      MARKETPLACE_URL: 'https://market.sovereign.test',
    },
  });
  await t.app.listen(0, '127.0.0.1');
  const server = (t.app.getHttpAdapter().getInstance() as unknown as FastifyInstance).server;
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const db = new pg.Client({ connectionString: t.databaseUrl });
  await db.connect();
  const call: McpWorld['call'] = (method, path, cookie, payload) =>
    t.app.inject({
      method,
      url: path,
      payload: payload as object,
      headers: cookie ? { cookie } : {},
      remoteAddress: `198.19.1.${(addresses++ % 250) + 1}`,
    });
  return {
    t,
    kube,
    db,
    url,
    admin: await signIn(t.app, smtp, ADMIN),
    call,
    async signIn(email, assignedRoles = []) {
      if (assignedRoles.length > 0) {
        await db.query('insert into users (email, assigned_roles) values ($1, $2)', [email, assignedRoles]);
      }
      return signIn(t.app, smtp, email);
    },
    async close() {
      await db.end();
      await t.close();
      await smtp.stop();
      await kube.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A personal access token made the way a user makes one in the console (POST /api/v1/tokens). */
export async function createToken(
  world: McpWorld,
  cookie: string,
  body: { name?: string; expiresInDays?: number; orgSlug?: string } = {},
): Promise<{ token: string; id: string }> {
  const res = await world.call('POST', '/api/v1/tokens', cookie, {
    name: 'agent',
    expiresInDays: 30,
    ...body,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

/** The SDK's own client over Streamable HTTP, presenting `token` as a Bearer. */
export async function connect(world: McpWorld, token: string): Promise<Client> {
  const client = new Client({ name: 'catalyst-test-agent', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL('/mcp', world.url), {
    requestInit: { headers: { authorization: `Bearer ${token}` } },
  });
  await client.connect(transport);
  return client;
}

export interface ToolOutcome {
  isError: boolean;
  /** The parsed text of the first content block. */
  body: { error?: { code: string; message: string; details?: Record<string, unknown> } } & Record<
    string,
    unknown
  >;
}

export async function callTool(
  client: Client,
  name: string,
  args: Record<string, unknown> = {},
): Promise<ToolOutcome> {
  const result = await client.callTool({ name, arguments: args });
  const content = result.content as { type: string; text: string }[];
  expect(content[0]?.type).toBe('text');
  return { isError: result.isError === true, body: JSON.parse(content[0]?.text ?? 'null') };
}

export async function toolNames(client: Client): Promise<string[]> {
  return (await client.listTools()).tools.map((tool) => tool.name).sort();
}

let customers = 0;

/**
 * A tenant as the marketplace makes one: a voucher issued by the admin, redeemed at checkout (creating org `slug`
 * with `creditBaisa`), and an environment `production`.
 */
export async function tenant(world: McpWorld, slug: string, creditBaisa: number) {
  const n = ++customers;
  const code = `MCP-${slug.toUpperCase()}-${n}`;
  const issued = await world.call('POST', '/billing/vouchers/issue', world.admin, { code, creditBaisa });
  expect(issued.statusCode, issued.body).toBe(201);
  const email = `${slug}-${n}@customer.test`;
  const cookie = await world.signIn(email);
  const checkout = await world.call('POST', '/billing/checkout', cookie, {
    planId: 'starter',
    promoCode: code,
    orgSlug: slug,
    poolDomain: POOL,
  });
  expect(checkout.statusCode, checkout.body).toBe(200);
  const env = await world.call('POST', `/api/v1/orgs/${slug}/environments`, cookie, { name: 'production' });
  expect(env.statusCode, env.body).toBe(201);
  return { cookie, email, slug };
}
