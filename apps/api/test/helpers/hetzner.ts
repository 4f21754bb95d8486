import { HetznerEmulator } from '../fixtures/hetzner/hetzner.emulator.js';
import { FAKE_HETZNER_TOKEN } from './provision-request.js';

/**
 * The Hetzner Cloud API of a test whose runs reach tofu apply: the emulator, knowing the token of
 * provisionRequest(). Point the api's HCLOUD_ENDPOINT at its `baseUrl`: every tofu run gets it from the
 * api, and the tofu stand-in creates and deletes the Sovereign's resources there with the run's token.
 */
export async function startHetzner(): Promise<HetznerEmulator> {
  const hetzner = new HetznerEmulator();
  await hetzner.start();
  hetzner.addToken({ token: FAKE_HETZNER_TOKEN });
  return hetzner;
}
