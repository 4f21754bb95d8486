import type { Role } from '@catalyst/contracts';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import type { FastifyInstance, HTTPMethods } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  callTool,
  connect,
  createToken,
  type McpWorld,
  POOL,
  startMcpWorld,
} from '../../test/helpers/mcp.js';
import { TOOLS } from './tool-registry.js';

/*
 * Issue #18's surface checks: (1) every tool is usable by exactly the roles its HTTP route lets through — found
 * by asking the routes themselves over HTTP, not by reading the metadata the registry reads; (2) bad input fuzzed
 * through every tool is a validation tool error, never a 5xx, never a broken session.
 */

let w: McpWorld;
const callers: Record<string, { roles: Role[]; cookie: string; client: Client }> = {};
const ROLE_SETS: Record<string, Role[]> = {
  member: [],
  'org-admin': ['org-admin'],
  'sovereign-admin': ['sovereign-admin'],
  superadmin: ['superadmin'],
};

beforeAll(async () => {
  w = await startMcpWorld();
  for (const [name, roles] of Object.entries(ROLE_SETS)) {
    const cookie = await w.signIn(`${name}@matrix.test`, roles);
    callers[name] = { roles, cookie, client: await connect(w, (await createToken(w, cookie)).token) };
  }
});
afterAll(async () => {
  for (const caller of Object.values(callers)) await caller.client.close();
  await w?.close();
});

const DUMMY_PARAMS: Record<string, string> = {
  slug: 'no-such-org',
  env: 'production',
  id: '00000000-0000-4000-8000-000000000000',
  phase: 'preflight',
  code: 'NO-SUCH-CODE',
};

/** The HTTP method and path template of a controller method, from Nest's route metadata. */
function routeOf(tool: (typeof TOOLS)[number]): { method: HTTPMethods; path: string } {
  const { controller, method } = tool.route;
  const handler = (controller.prototype as Record<string, unknown>)[method] as object;
  const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
  const sub = String(Reflect.getMetadata(PATH_METADATA, handler) ?? '');
  const verb = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number] as HTTPMethods;
  const path = `/${[base, sub].filter((p) => p && p !== '/').join('/')}`.replace(/\/+/g, '/');
  return { method: verb, path };
}

describe('the tool matrix equals the route matrix', () => {
  it('every tool mirrors a route that exists', () => {
    const fastify = w.t.app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
    for (const tool of TOOLS) {
      const { method, path } = routeOf(tool);
      expect(fastify.hasRoute({ method, url: path }), `${tool.name}: ${method} ${path}`).toBe(true);
    }
    expect(new Set(TOOLS.map((t) => t.name)).size).toBe(TOOLS.length);
    for (const tool of TOOLS) expect(tool.name).toMatch(/^[a-z]+(_[a-z]+)*$/);
  });

  it('for every role, the tools listed and callable are those whose route lets that role through', async () => {
    for (const [name, caller] of Object.entries(callers)) {
      const listed = new Set((await caller.client.listTools()).tools.map((t) => t.name));
      for (const tool of TOOLS) {
        const { method, path } = routeOf(tool);
        const url = path.replace(/:(\w+)/g, (_, param: string) => DUMMY_PARAMS[param] ?? 'x');
        const res = await w.call(method as 'GET', url, caller.cookie, method === 'GET' ? undefined : {});
        const routeRefuses = res.statusCode === 403 && res.json().error.code === 'forbidden';
        expect(
          listed.has(tool.name),
          `${name} lists ${tool.name} (${method} ${url} → ${res.statusCode})`,
        ).toBe(!routeRefuses);
        const called = await callTool(caller.client, tool.name, {});
        expect(called.body.error?.code === 'forbidden', `${name} calls ${tool.name}`).toBe(routeRefuses);
      }
    }
  });
});

const UUID = '00000000-0000-4000-8000-000000000000';
/** A well-formed input per tool, so each fuzzed field is the only thing wrong. */
const VALID: Record<string, Record<string, unknown>> = {
  whoami: {},
  list_orgs: {},
  list_environments: { org: 'acme' },
  create_environment: { org: 'acme', name: 'staging' },
  delete_environment: { org: 'acme', name: 'staging' },
  list_catalog_apps: {},
  install_app: { org: 'acme', environment: 'production', appId: 'wordpress' },
  list_apps: { org: 'acme' },
  get_app_status: { org: 'acme', installId: UUID },
  retry_app: { org: 'acme', installId: UUID },
  uninstall_app: { org: 'acme', installId: UUID },
  get_org_wallet: { org: 'acme' },
  get_wallet_ledger: {},
  preview_voucher: { code: 'FUZZ-1' },
  redeem_voucher: {
    planId: 'starter',
    promoCode: 'FUZZ-1',
    orgName: 'Acme',
    orgSlug: 'acme',
    poolDomain: POOL,
  },
  issue_voucher: {
    code: 'FUZZ-1',
    creditBaisa: 100,
    description: 'fuzz',
    active: true,
    maxRedemptions: 0,
    expiresAt: null,
    recipientEmail: 'someone@fuzz.test',
  },
  list_vouchers: {},
  revoke_voucher: { code: 'FUZZ-1' },
  list_tenants: {},
  list_orders: {},
  list_deployments: {},
  get_deployment: { deploymentId: UUID },
  tail_deployment_log: { deploymentId: UUID, lines: 10 },
  list_deployment_components: { deploymentId: UUID },
  retry_deployment: { deploymentId: UUID, phase: 'preflight', hetznerToken: 'a'.repeat(64), region: 'fsn1' },
  cancel_deployment: { deploymentId: UUID },
  check_pool_name: { poolDomain: 'omani.works', subdomain: 'fuzz' },
};
const HUGE = 'x'.repeat(100_000);

describe('fuzzed input through every tool', () => {
  it('has a valid sample for every tool, covering every field', () => {
    expect(Object.keys(VALID).sort()).toEqual(TOOLS.map((t) => t.name).sort());
    for (const tool of TOOLS)
      expect(Object.keys(VALID[tool.name] ?? {}).sort()).toEqual(Object.keys(tool.input.shape).sort());
  });

  it('wrong types, 100 kB strings and unknown fields are validation_failed tool errors; the session lives on', async () => {
    const client = callers.superadmin?.client as Client;
    let calls = 0;
    for (const tool of TOOLS) {
      const valid = VALID[tool.name] ?? {};
      const variants: { label: string; args: Record<string, unknown>; path: string }[] = [
        { label: 'unknown field', args: { ...valid, zzUnknown: 1 }, path: 'zzUnknown' },
        { label: 'huge unknown field', args: { ...valid, zzHuge: HUGE }, path: 'zzHuge' },
      ];
      for (const key of Object.keys(valid)) {
        const wrong = typeof valid[key] === 'string' ? 12345 : 'wrong-type';
        variants.push({ label: `${key} wrong type`, args: { ...valid, [key]: wrong }, path: key });
        variants.push({ label: `${key} 100 kB`, args: { ...valid, [key]: HUGE }, path: key });
        variants.push({ label: `${key} object`, args: { ...valid, [key]: { nested: [HUGE] } }, path: key });
      }
      for (const variant of variants) {
        const result = await callTool(client, tool.name, variant.args);
        calls++;
        const where = `${tool.name}: ${variant.label}`;
        expect(result.isError, where).toBe(true);
        expect(result.body.error?.code, where).toBe('validation_failed');
        const issues = result.body.error?.details?.issues as { path: string; message: string }[];
        expect(
          issues.some((i) => i.path === variant.path || i.path.startsWith(`${variant.path}.`)),
          where,
        ).toBe(true);
        // No stack, no echo of the huge value.
        expect(JSON.stringify(result.body).length, where).toBeLessThan(5_000);
      }
    }
    expect(calls).toBeGreaterThan(TOOLS.length * 3);
    expect((await callTool(client, 'whoami')).body).toMatchObject({
      user: { email: 'superadmin@matrix.test' },
    });
    expect(w.t.logs.text).not.toContain('MCP tool failed');
  });
});
