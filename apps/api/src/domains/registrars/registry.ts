import type { RegistrarId } from '@catalyst/contracts';
import type { DomainsConfig } from '../../config/config.js';
import { CloudflareAdapter } from './cloudflare.adapter.js';
import { DynadotAdapter } from './dynadot.adapter.js';
import { GoDaddyAdapter } from './godaddy.adapter.js';
import { NamecheapAdapter } from './namecheap.adapter.js';
import { OvhAdapter } from './ovh.adapter.js';
import type { RegistrarAdapter } from './registrar.js';

/**
 * Each adapter takes its own credential type. Callers always parse credentials with the adapter's
 * own schema before calling it, so the type can be erased here.
 */
function erase<C>(adapter: RegistrarAdapter<C>): RegistrarAdapter {
  return adapter as unknown as RegistrarAdapter;
}

/** Every registrar adapter, each on its configured base URL. */
export function createRegistrarAdapters(
  urls: DomainsConfig['registrarUrls'],
): Map<RegistrarId, RegistrarAdapter> {
  const adapters = [
    erase(new CloudflareAdapter({ baseUrl: urls.cloudflare })),
    erase(new NamecheapAdapter({ baseUrl: urls.namecheap })),
    erase(new GoDaddyAdapter({ baseUrl: urls.godaddy })),
    erase(new OvhAdapter({ baseUrl: urls.ovh })),
    erase(new DynadotAdapter({ baseUrl: urls.dynadot })),
  ];
  return new Map(adapters.map((adapter) => [adapter.id, adapter]));
}
