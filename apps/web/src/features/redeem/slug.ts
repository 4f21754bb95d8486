import { orgSlugSchema } from '@catalyst/contracts';

/** A subdomain suggestion from an organisation name: `Acme E2E` → `acme-e2e`. */
export function slugify(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .slice(0, 31)
    .replace(/-+$/, '');
}

/** The slug as the api will store it, or the reason it is not valid. */
export function checkSlugFormat(slug: string): { ok: true; slug: string } | { ok: false; message: string } {
  const parsed = orgSlugSchema.safeParse(slug);
  if (parsed.success) return { ok: true, slug: parsed.data };
  return { ok: false, message: parsed.error.issues[0]?.message ?? 'Not a valid subdomain' };
}

/**
 * The tenant pool domain, read off an address the api gave us: `acme.tenants.example.com` with
 * slug `acme` → `tenants.example.com`. Null when the address does not start with the slug.
 */
export function poolDomainOf(fqdn: string, slug: string): string | null {
  const prefix = `${slug}.`;
  return fqdn.startsWith(prefix) && fqdn.length > prefix.length ? fqdn.slice(prefix.length) : null;
}
