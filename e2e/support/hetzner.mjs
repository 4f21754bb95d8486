// The Hetzner Cloud API tokens of the browser tests. serve.mjs points the api (HCLOUD_ENDPOINT) at the
// Hetzner emulator of the api's tests (apps/api/test/fixtures/hetzner/) and gives it `token` only.
export const E2E_HETZNER = {
  /** Read & Write on `projectId`: the emulator accepts it. 64 letters and digits, as real tokens are. */
  token: `e2e${'0123456789abcdefABCDEF'.repeat(3)}`.slice(0, 64),
  /** Well-formed, but the emulator does not know it: Hetzner rejects it (401). */
  rejectedToken: `bad${'FEDCBAfedcba9876543210'.repeat(3)}`.slice(0, 64),
  projectId: '1234567',
};
