import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

function problemsOf(env: Record<string, string>) {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('runs with no environment at all: embedded database, in-process events, dev outbox', () => {
    const config = loadConfig({}, '/srv/catalyst');
    expect(config).toMatchObject({
      port: 8080,
      publicUrl: 'http://localhost:8080',
      marketplaceUrl: 'http://localhost:8080',
      dataDir: '/srv/catalyst/.data',
      adminEmails: [],
      trustProxy: false,
    });
    expect(config.databaseUrl).toBeUndefined();
    expect(config.natsUrl).toBeUndefined();
    expect(config.smtpUrl).toBeUndefined();
    expect(config.mailFrom).toBe('Catalyst <no-reply@localhost>');
  });

  it('reads every variable it documents', () => {
    const config = loadConfig({
      PORT: '9090',
      PUBLIC_URL: 'https://console.example.com/',
      MARKETPLACE_URL: 'https://market.example.com',
      DATABASE_URL: 'postgres://u:p@db:5432/catalyst',
      CATALYST_DATA_DIR: '/var/lib/catalyst',
      NATS_URL: 'nats://a:4222,nats://b:4222',
      SMTP_URL: 'smtps://user:pass@mail.example.com:465',
      MAIL_FROM: 'Ops <ops@example.com>',
      CATALYST_SECRET_KEY: 'k'.repeat(40),
      CATALYST_ADMIN_EMAILS: 'A@Example.com, b@example.com',
      CATALYST_TRUST_PROXY: 'true',
    });
    expect(config).toMatchObject({
      port: 9090,
      publicUrl: 'https://console.example.com',
      marketplaceUrl: 'https://market.example.com',
      databaseUrl: 'postgres://u:p@db:5432/catalyst',
      dataDir: '/var/lib/catalyst',
      natsUrl: 'nats://a:4222,nats://b:4222',
      mailFrom: 'Ops <ops@example.com>',
      adminEmails: ['a@example.com', 'b@example.com'],
      trustProxy: true,
    });
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', NATS_URL: ' ' }).databaseUrl).toBeUndefined();
  });

  it('names every bad variable in one error', () => {
    const error = problemsOf({
      PORT: 'eighty',
      DATABASE_URL: 'mysql://x',
      CATALYST_SECRET_KEY: 'short',
      CATALYST_ADMIN_EMAILS: 'root@, ok@example.com',
      NATS_URL: 'http://nats:4222',
    });
    expect(error.problems.map((p) => p.variable).sort()).toEqual([
      'CATALYST_ADMIN_EMAILS',
      'CATALYST_SECRET_KEY',
      'DATABASE_URL',
      'NATS_URL',
      'PORT',
    ]);
    expect(error.message).toContain('PORT:');
    expect(error.message).toContain('docs/configuration.md');
  });

  it('rejects a port out of range', () => {
    expect(problemsOf({ PORT: '70000' }).problems[0]?.variable).toBe('PORT');
  });

  it('configures domains from data, not code: pools, nameservers, durations, reserved names', () => {
    const config = loadConfig({
      CATALYST_POOL_DOMAINS: 'Pool.Example, other.example.',
      CATALYST_RESERVED_SUBDOMAINS: 'Billing,shop',
      CATALYST_RESERVATION_TTL: '2h',
      CATALYST_RECORD_TTL: '60',
      CATALYST_DELEGATION_POLL_INTERVAL: '90s',
      PDNS_API_URL: 'http://pdns:8081/',
      PDNS_API_KEY: 'k',
    });
    expect(config.domains).toMatchObject({
      poolDomains: ['pool.example', 'other.example'],
      tenantPoolDomains: ['omani.homes', 'omani.rest', 'omani.trade'],
      nameservers: ['ns1.pool.example', 'ns2.pool.example'],
      reservationTtlSeconds: 7200,
      recordTtlSeconds: 60,
      delegationTtlSeconds: 3600,
      delegationPollSeconds: 90,
      powerDns: { url: 'http://pdns:8081', apiKey: 'k', serverId: 'localhost' },
    });
    expect(config.domains.reservedSubdomains).toEqual(
      expect.arrayContaining(['billing', 'shop', 'console', 'k8s']),
    );
    expect(config.domains.reservedSubdomains).toHaveLength(23);
    expect(loadConfig({}).domains.poolDomains).toEqual(['omani.works', 'omantel.biz']);
    expect(loadConfig({}).domains.powerDns).toBeUndefined();
  });

  it('names bad domain settings', () => {
    expect(problemsOf({ CATALYST_RESERVATION_TTL: 'ten minutes' }).problems[0]?.variable).toBe(
      'CATALYST_RESERVATION_TTL',
    );
    expect(problemsOf({ CATALYST_POOL_DOMAINS: 'not a domain' }).problems[0]?.variable).toBe(
      'CATALYST_POOL_DOMAINS',
    );
    expect(problemsOf({ PDNS_API_URL: 'http://pdns:8081' }).problems[0]?.variable).toBe('PDNS_API_KEY');
    expect(problemsOf({ CATALYST_NAMESERVERS: 'ns1.example.com,bad host' }).problems[0]?.variable).toBe(
      'CATALYST_NAMESERVERS',
    );
    expect(problemsOf({ GODADDY_API_URL: 'ftp://x' }).problems[0]?.variable).toBe('GODADDY_API_URL');
  });
});
