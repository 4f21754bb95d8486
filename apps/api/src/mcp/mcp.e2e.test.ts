import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../test/helpers/eventually.js';
import {
  callTool,
  connect,
  createToken,
  type McpWorld,
  startMcpWorld,
  tenant,
  toolNames,
} from '../../test/helpers/mcp.js';

/*
 * Issue #18: an agent operates Catalyst over MCP with exactly its user's rights. The SDK's own client talks
 * Streamable HTTP to the real app on a real port, on a real PostgreSQL, with personal access tokens.
 */

let w: McpWorld;

const TENANT_TOOLS = [
  'create_environment',
  'delete_environment',
  'get_app_status',
  'get_org_wallet',
  'get_wallet_ledger',
  'install_app',
  'list_apps',
  'list_catalog_apps',
  'list_environments',
  'list_orgs',
  'preview_voucher',
  'redeem_voucher',
  'retry_app',
  'uninstall_app',
  'whoami',
  // The wizard's name check is open to every signed-in user on its route, so it is here too.
  'check_pool_name',
].sort();
const ADMIN_ONLY = [
  'cancel_deployment',
  'get_deployment',
  'issue_voucher',
  'list_deployment_components',
  'list_deployments',
  'list_orders',
  'list_tenants',
  'list_vouchers',
  'retry_deployment',
  'revoke_voucher',
  'tail_deployment_log',
];

beforeAll(async () => {
  w = await startMcpWorld();
});
afterAll(async () => {
  await w?.close();
});

async function mcpPost(token: string | undefined, method = 'POST', body?: unknown) {
  return fetch(new URL('/mcp', w.url), {
    method,
    headers: {
      ...(method === 'POST' ? { 'content-type': 'application/json' } : {}),
      accept: 'application/json, text/event-stream',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body:
      method === 'POST'
        ? JSON.stringify(body ?? { jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} })
        : undefined,
  });
}

describe('MCP over Streamable HTTP with personal access tokens', () => {
  it('lists the tools each role may use: tenant, org member, sovereign-admin', async () => {
    const acme = await tenant(w, 'acme', 20_000);
    const asTenant = await connect(w, (await createToken(w, acme.cookie)).token);
    expect(await toolNames(asTenant)).toEqual(TENANT_TOOLS);

    // An org member (invited by the owner) sees the same tools; the org role decides what each call may do.
    const memberCookie = await w.signIn('member@acme.test');
    const invited = await w.call('POST', '/api/v1/orgs/acme/members', acme.cookie, {
      email: 'member@acme.test',
      role: 'member',
    });
    expect(invited.statusCode, invited.body).toBe(201);
    const asMember = await connect(w, (await createToken(w, memberCookie)).token);
    expect(await toolNames(asMember)).toEqual(TENANT_TOOLS);
    expect((await callTool(asMember, 'list_environments', { org: 'acme' })).body).toMatchObject({
      environments: [{ name: 'production' }],
    });
    const refused = await callTool(asMember, 'install_app', {
      org: 'acme',
      environment: 'production',
      appId: 'wordpress',
    });
    expect(refused.isError).toBe(true);
    expect(refused.body.error?.code).toBe('org_role_required');

    const asAdmin = await connect(w, (await createToken(w, w.admin)).token);
    expect(await toolNames(asAdmin)).toEqual([...TENANT_TOOLS, ...ADMIN_ONLY].sort());
    const tools = (await asAdmin.listTools()).tools;
    for (const tool of tools) {
      expect(tool.inputSchema.type, tool.name).toBe('object');
      expect(tool.description?.length, tool.name).toBeGreaterThan(20);
    }
    // The cost is said where there is one.
    expect(tools.find((t) => t.name === 'install_app')?.description).toMatch(/credit/i);
    expect(tools.find((t) => t.name === 'retry_deployment')?.description).toMatch(/re-runs/i);
    const whoami = await callTool(asAdmin, 'whoami');
    expect(whoami.body).toMatchObject({ user: { email: 'admin@sovereign.test' } });
    await Promise.all([asTenant.close(), asMember.close(), asAdmin.close()]);
  });

  it('a tenant installs an app in its own org and polls it until it runs; the wallet pays', async () => {
    const beta = await tenant(w, 'betaorg', 12_000);
    const agent = await connect(w, (await createToken(w, beta.cookie)).token);
    const catalog = await callTool(agent, 'list_catalog_apps');
    expect((catalog.body.apps as { id: string }[]).map((a) => a.id)).toContain('uptime-kuma');

    const installed = await callTool(agent, 'install_app', {
      org: 'betaorg',
      environment: 'production',
      appId: 'uptime-kuma',
    });
    expect(installed.isError, JSON.stringify(installed.body)).toBe(false);
    expect(installed.body).toMatchObject({ appId: 'uptime-kuma', status: 'installing' });
    const installId = installed.body.id as string;

    const seen: string[] = [];
    await eventually('the app runs', async () => {
      const status = await callTool(agent, 'get_app_status', { org: 'betaorg', installId });
      expect(status.isError).toBe(false);
      seen.push(status.body.status as string);
      return status.body.status === 'running';
    });
    expect(seen[0]).toBe('installing');
    expect(w.kube.get('betaorg-production', 'uptime-kuma')).toBeDefined();

    // The same state as a resource.
    const resource = await agent.readResource({ uri: `catalyst://orgs/betaorg/apps/${installId}` });
    expect(JSON.parse((resource.contents[0] as { text: string }).text)).toMatchObject({
      id: installId,
      status: 'running',
    });
    const ledger = await callTool(agent, 'get_wallet_ledger');
    expect(ledger.body.balanceBaisa as number).toBeLessThan(12_000);
    const wallet = await callTool(agent, 'get_org_wallet', { org: 'betaorg' });
    expect(wallet.body.balanceBaisa).toBe(ledger.body.balanceBaisa);

    const removing = await callTool(agent, 'uninstall_app', { org: 'betaorg', installId });
    expect(removing.body.status).toBe('uninstalling');
    await agent.close();
  });

  it("another org's environment is a tool error, not a crash; an org-scoped token stays in its org", async () => {
    await tenant(w, 'gamma', 5_000);
    const delta = await tenant(w, 'delta', 5_000);
    const agent = await connect(w, (await createToken(w, delta.cookie)).token);
    const foreign = await callTool(agent, 'list_environments', { org: 'gamma' });
    expect(foreign.isError).toBe(true);
    expect(foreign.body.error).toMatchObject({ code: 'org_not_found' });
    const foreignCreate = await callTool(agent, 'create_environment', { org: 'gamma', name: 'staging' });
    expect(foreignCreate.body.error?.code).toBe('org_not_found');
    // The session goes on.
    expect((await callTool(agent, 'list_environments', { org: 'delta' })).isError).toBe(false);

    // A second org of the same user, and a token scoped to delta.
    const scoped = await connect(w, (await createToken(w, delta.cookie, { orgSlug: 'delta' })).token);
    const outside = await callTool(scoped, 'list_environments', { org: 'gamma' });
    expect(outside.body.error?.code).toBe('token_org_scope');
    const created = await callTool(scoped, 'create_environment', { org: 'delta', name: 'staging' });
    expect(created.isError, JSON.stringify(created.body)).toBe(false);
    const orgs = (await callTool(scoped, 'list_orgs')).body.orgs as { slug: string }[];
    expect(orgs.map((o) => o.slug)).toEqual(['delta']);
    expect((await callTool(scoped, 'whoami')).body).toMatchObject({ token: { orgSlug: 'delta' } });
    await Promise.all([agent.close(), scoped.close()]);
  });

  it('an admin issues a voucher through a tool; a tenant previews it; admin failures are tool errors', async () => {
    const agent = await connect(w, (await createToken(w, w.admin)).token);
    const issued = await callTool(agent, 'issue_voucher', { code: 'agent-issued-1', creditBaisa: 7_500 });
    expect(issued.isError, JSON.stringify(issued.body)).toBe(false);
    expect(issued.body).toMatchObject({ code: 'AGENT-ISSUED-1', creditBaisa: 7_500, created: true });
    const listed = (await callTool(agent, 'list_vouchers')).body.vouchers as { code: string }[];
    expect(listed.map((v) => v.code)).toContain('AGENT-ISSUED-1');
    const row = await w.db.query('select credit_baisa from vouchers where code = $1', ['AGENT-ISSUED-1']);
    expect(Number(row.rows[0]?.credit_baisa)).toBe(7_500);

    const customer = await tenant(w, 'epsilon', 1_000);
    const buyer = await connect(w, (await createToken(w, customer.cookie)).token);
    expect((await callTool(buyer, 'preview_voucher', { code: 'agent-issued-1' })).body).toMatchObject({
      code: 'AGENT-ISSUED-1',
      creditBaisa: 7_500,
      acceptingRedemptions: true,
    });
    // A tenant cannot issue, even by calling a tool it was not shown.
    const notShown = await callTool(buyer, 'issue_voucher', { code: 'SNEAKY', creditBaisa: 1 });
    expect(notShown.body.error?.code).toBe('forbidden');
    expect((await w.db.query("select 1 from vouchers where code = 'SNEAKY'")).rowCount).toBe(0);

    const missing = await callTool(agent, 'tail_deployment_log', {
      deploymentId: '00000000-0000-4000-8000-000000000000',
      lines: 10,
    });
    expect(missing.body.error?.code).toBe('deployment_not_found');
    const revoked = await callTool(agent, 'revoke_voucher', { code: 'AGENT-ISSUED-1' });
    expect(revoked.body).toEqual({ code: 'AGENT-ISSUED-1', revoked: true });
    await Promise.all([agent.close(), buyer.close()]);
  });

  it('refuses no token, a bad, a revoked and an expired token with 401 and a Bearer challenge', async () => {
    const zeta = await tenant(w, 'zeta', 1_000);
    const revokedToken = await createToken(w, zeta.cookie);
    const expiredToken = await createToken(w, zeta.cookie);
    // Both work first.
    expect((await mcpPost(revokedToken.token)).status).toBe(200);
    expect((await mcpPost(expiredToken.token)).status).toBe(200);
    expect((await w.call('DELETE', `/api/v1/tokens/${revokedToken.id}`, zeta.cookie)).statusCode).toBe(204);
    await w.db.query(
      "update personal_access_tokens set expires_at = now() - interval '1 second' where id = $1",
      [expiredToken.id],
    );
    for (const token of [undefined, 'cat_pat_not-a-token', revokedToken.token, expiredToken.token]) {
      const res = await mcpPost(token);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect((await res.json()).error.code).toBe('unauthenticated');
    }
    // The SDK's client is refused as well.
    await expect(connect(w, revokedToken.token)).rejects.toThrow();

    // GET (SSE stream) and DELETE (session end) do not apply to this stateless endpoint: 405 in the one shape.
    for (const method of ['GET', 'DELETE']) {
      const res = await mcpPost(expiredToken.token, method);
      expect(res.status).toBe(405);
      expect((await res.json()).error.code).toBe('method_not_allowed');
    }
  });

  it('a role removed is a tool gone at the next list, and refused at the next call', async () => {
    const opsCookie = await w.signIn('ops@sovereign.test', ['sovereign-admin']);
    const token = (await createToken(w, opsCookie)).token;
    const agent = await connect(w, token);
    expect(await toolNames(agent)).toContain('issue_voucher');
    const user = await w.db.query("select id from users where email = 'ops@sovereign.test'");
    const removed = await w.call('DELETE', `/api/v1/users/${user.rows[0].id}/roles/sovereign-admin`, w.admin);
    expect(removed.statusCode, removed.body).toBe(200);

    const again = await connect(w, token);
    expect(await toolNames(again)).toEqual(TENANT_TOOLS);
    const refused = await callTool(agent, 'list_vouchers');
    expect(refused.isError).toBe(true);
    expect(refused.body.error?.code).toBe('forbidden');
    await Promise.all([agent.close(), again.close()]);
  });

  it('refuses a body over the api limit as the api does', async () => {
    const eta = await tenant(w, 'eta', 1_000);
    const token = (await createToken(w, eta.cookie)).token;
    const res = await mcpPost(token, 'POST', {
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: { name: 'whoami', arguments: { pad: 'x'.repeat(2_000_000) } },
    });
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe('payload_too_large');
  });
});
