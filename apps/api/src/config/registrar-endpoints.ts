/** The registrars' public API endpoints: defaults of their *_API_URL settings (docs/configuration.md). */
export const DEFAULT_CLOUDFLARE_API_URL = 'https://api.cloudflare.com/client/v4';
export const DEFAULT_NAMECHEAP_API_URL = 'https://api.namecheap.com/xml.response';
export const DEFAULT_GODADDY_API_URL = 'https://api.godaddy.com';
export const DEFAULT_OVH_API_URL = 'https://eu.api.ovh.com/1.0';
export const DEFAULT_DYNADOT_API_URL = 'https://api.dynadot.com/api3.json';
