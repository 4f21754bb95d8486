import { deploymentSchema, voucherRevokedSchema } from '@catalyst/contracts';
import { describe, expect, it } from 'vitest';
import { answer, brokenStubs } from './api';
import { deployment } from './factories';

describe('answer', () => {
  it('sends a stub that matches its contract as written', async () => {
    const response = answer(voucherRevokedSchema, { code: 'OPEN', revoked: true }, 200);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ code: 'OPEN', revoked: true });
  });

  it('does not compile, and fails at run time, for an answer the api would never send', () => {
    // @ts-expect-error the api answers a retry with the deployment, not a bare status
    expect(() => answer(deploymentSchema, { status: 'running' })).toThrow(/breaks its contract/);
    // @ts-expect-error a field the contract does not know
    expect(() => answer(deploymentSchema, { ...deployment(), tenant: 'acme' })).toThrow(
      /fields its contract does not know: \.tenant/,
    );
    // The setup's afterEach would fail this test with them: they are what was expected here.
    expect(brokenStubs.splice(0)).toHaveLength(2);
  });

  it('finds an unknown field nested in a list', () => {
    const phases = [{ name: 'preflight' as const, status: 'running' as const, colour: 'blue' }];
    expect(() => answer(deploymentSchema, deployment({ phases }))).toThrow(/\.phases\[0\]\.colour/);
    expect(brokenStubs.splice(0)).toHaveLength(1);
  });
});
