import { AppError } from '../common/app-error.js';
import { PowerDnsError } from './powerdns.client.js';
import { RegistrarError } from './registrars/registrar.js';

export const reservationNotFound = () =>
  new AppError(404, 'reservation_not_found', 'No reservation or allocation has this id');
export const allocationNotFound = (fqdn: string) =>
  new AppError(404, 'allocation_not_found', `Catalyst holds no reservation or allocation for ${fqdn}`);
export const reservationExpired = () =>
  new AppError(
    410,
    'reservation_expired',
    'The reservation expired; check the name again and reserve it anew',
  );
export const dnsNotConfigured = () =>
  new AppError(
    503,
    'dns_not_configured',
    'PowerDNS is not configured (PDNS_API_URL), so DNS cannot be written',
  );
/** A customer's own domain that overlaps names Catalyst gives out or serves itself. */
export const domainNotAllowed = (fqdn: string, why: string) =>
  new AppError(422, 'domain_not_allowed', `${fqdn} cannot be used as your own domain: ${why}`);
/** A zone already in PowerDNS that Catalyst did not create for this name: it is never overwritten. */
export const zoneExists = (fqdn: string, zone: string) =>
  new AppError(
    422,
    'zone_exists',
    zone === fqdn
      ? `A DNS zone for ${fqdn} already exists on Catalyst's nameservers and Catalyst did not create it`
      : `${fqdn} is inside the zone ${zone}, which is already served by Catalyst's nameservers`,
    { zone },
  );
export const registrarNotFound = (id: string) =>
  new AppError(404, 'registrar_not_found', `No registrar "${id}"; see GET /api/v1/registrars`);

/** The 4xx/5xx an outside system's failure becomes: the customer's mistakes are 422, outages 502. */
export function dnsFailure(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof RegistrarError) {
    const status = error.status === 'rate-limited' ? 429 : error.status === 'unavailable' ? 502 : 422;
    return new AppError(status, `registrar_${error.status.replace(/-/g, '_')}`, error.message, {
      registrarStatus: error.status,
    });
  }
  if (error instanceof PowerDnsError) {
    return new AppError(502, 'dns_failed', `Writing DNS failed: ${error.message}`);
  }
  throw error;
}
