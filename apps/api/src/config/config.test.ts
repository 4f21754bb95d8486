import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
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
      CATALYST_TRUST_PROXY: '1',
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
      trustProxy: 1,
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

  it('checks the tofu provider mirror at start-up and reads how tofu gets its database role', () => {
    const defaults = loadConfig({}).deployments;
    expect(defaults.tofuPluginMirror).toBeUndefined();
    expect(defaults.tofuDbRole).toBe('per-deployment');
    const mirror = tmpdir();
    expect(
      loadConfig({ CATALYST_TOFU_PLUGIN_MIRROR: mirror, CATALYST_TOFU_DB_ROLE: 'shared' }).deployments,
    ).toMatchObject({ tofuPluginMirror: mirror, tofuDbRole: 'shared' });
    for (const bad of ['relative/mirror', '/nonexistent/catalyst-mirror', fileURLToPath(import.meta.url)]) {
      const error = problemsOf({ CATALYST_TOFU_PLUGIN_MIRROR: bad });
      expect(error.problems.map((p) => p.variable)).toEqual(['CATALYST_TOFU_PLUGIN_MIRROR']);
      expect(error.message).toContain('absolute path of an existing directory');
    }
    expect(problemsOf({ CATALYST_TOFU_DB_ROLE: 'superuser' }).problems[0]?.variable).toBe(
      'CATALYST_TOFU_DB_ROLE',
    );
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

  it('trusts no proxy unless told how many hops or which addresses', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ CATALYST_TRUST_PROXY: '0' }).trustProxy).toBe(false);
    expect(loadConfig({ CATALYST_TRUST_PROXY: ' 2 ' }).trustProxy).toBe(2);
    expect(loadConfig({ CATALYST_TRUST_PROXY: '10.0.0.0/8, 192.168.1.7,fd00::/8' }).trustProxy).toEqual([
      '10.0.0.0/8',
      '192.168.1.7',
      'fd00::/8',
    ]);
  });

  it.each(['true', 'yes', '10.0.0.0/33', '10.0.0.0/8,proxy.internal', '1.5', '10.0.0.0/8/1'])(
    'refuses CATALYST_TRUST_PROXY=%s at start-up, naming the variable',
    (value) => {
      const error = problemsOf({ CATALYST_TRUST_PROXY: value });
      expect(error.problems.map((p) => p.variable)).toEqual(['CATALYST_TRUST_PROXY']);
      expect(error.message).toContain('hops');
    },
  );

  it('refuses to start in production without SMTP_URL unless the dev outbox is switched on explicitly', () => {
    const outsideDevelopment: Record<string, string>[] = [
      { NODE_ENV: 'production' },
      { KUBERNETES_SERVICE_HOST: '10.43.0.1' },
    ];
    for (const env of outsideDevelopment) {
      const error = problemsOf(env);
      expect(error.problems.map((p) => p.variable)).toEqual(['SMTP_URL']);
      expect(error.message).toContain('CATALYST_MAIL_OUTBOX=on');
      expect(loadConfig({ ...env, CATALYST_MAIL_OUTBOX: 'on' }).smtpUrl).toBeUndefined();
      expect(loadConfig({ ...env, SMTP_URL: 'smtp://mail:25' }).smtpUrl).toBe('smtp://mail:25');
      expect(problemsOf({ ...env, CATALYST_MAIL_OUTBOX: 'off' }).problems[0]?.variable).toBe('SMTP_URL');
    }
    // A development run (the README's two commands) keeps the outbox without being asked.
    expect(loadConfig({ NODE_ENV: 'development' }).smtpUrl).toBeUndefined();
    expect(problemsOf({ CATALYST_MAIL_OUTBOX: 'yes' }).problems[0]?.variable).toBe('CATALYST_MAIL_OUTBOX');
  });

  it('keeps the dev outbox files under the data directory', () => {
    expect(loadConfig({}, '/srv/catalyst').mailOutboxDir).toBe('/srv/catalyst/.data/mail');
  });

  it('reads the sign-in lockout and the HTTP limits, with defaults', () => {
    expect(loadConfig({})).toMatchObject({
      signIn: { maxFailures: 5, failureWindowSeconds: 900, lockoutSeconds: 1800 },
      http: { requestTimeoutMs: 30_000, idleTimeoutMs: 120_000, bodyLimitBytes: 1024 * 1024 },
    });
    expect(
      loadConfig({
        CATALYST_PIN_MAX_FAILURES: '8',
        CATALYST_PIN_FAILURE_WINDOW: '1h',
        CATALYST_PIN_LOCKOUT: '45m',
        CATALYST_REQUEST_TIMEOUT: '10s',
        CATALYST_IDLE_TIMEOUT: '5m',
        CATALYST_BODY_LIMIT: '256kb',
      }),
    ).toMatchObject({
      signIn: { maxFailures: 8, failureWindowSeconds: 3600, lockoutSeconds: 2700 },
      http: { requestTimeoutMs: 10_000, idleTimeoutMs: 300_000, bodyLimitBytes: 256 * 1024 },
    });
    expect(problemsOf({ CATALYST_BODY_LIMIT: 'huge' }).problems[0]?.variable).toBe('CATALYST_BODY_LIMIT');
    expect(problemsOf({ CATALYST_PIN_MAX_FAILURES: '0' }).problems[0]?.variable).toBe(
      'CATALYST_PIN_MAX_FAILURES',
    );
  });

  it('reads the stream caps and the retention periods, with defaults (0 days keeps rows forever)', () => {
    expect(loadConfig({})).toMatchObject({
      streams: { maxStreams: 500, maxStreamsPerUser: 10 },
      retention: { outboxDays: 7, auditDays: 365, mailDays: 7, eventsDays: 90, sweepIntervalSeconds: 3600 },
    });
    expect(
      loadConfig({
        CATALYST_SSE_MAX_STREAMS: '50',
        CATALYST_SSE_MAX_STREAMS_PER_USER: '3',
        CATALYST_RETENTION_OUTBOX_DAYS: '1',
        CATALYST_RETENTION_AUDIT_DAYS: '0',
        CATALYST_RETENTION_MAIL_DAYS: '2',
        CATALYST_RETENTION_EVENTS_DAYS: '30',
        CATALYST_RETENTION_SWEEP_INTERVAL: '10m',
      }),
    ).toMatchObject({
      streams: { maxStreams: 50, maxStreamsPerUser: 3 },
      retention: { outboxDays: 1, auditDays: 0, mailDays: 2, eventsDays: 30, sweepIntervalSeconds: 600 },
    });
    expect(problemsOf({ CATALYST_SSE_MAX_STREAMS_PER_USER: '0' }).problems[0]?.variable).toBe(
      'CATALYST_SSE_MAX_STREAMS_PER_USER',
    );
    expect(problemsOf({ CATALYST_RETENTION_AUDIT_DAYS: '-1' }).problems[0]?.variable).toBe(
      'CATALYST_RETENTION_AUDIT_DAYS',
    );
  });
});

describe('CATALYST_MODE', () => {
  it('is a mothership unless told otherwise', () => {
    expect(loadConfig({}).mode).toBe('mothership');
    expect(loadConfig({ CATALYST_MODE: '  ' }).mode).toBe('mothership');
    expect(loadConfig({ CATALYST_MODE: 'mothership' }).mode).toBe('mothership');
    expect(loadConfig({ CATALYST_MODE: ' sovereign ' }).mode).toBe('sovereign');
  });

  it.each(['Sovereign', 'tenant', 'true'])(
    'refuses CATALYST_MODE=%s at start-up, naming the variable',
    (value) => {
      const error = problemsOf({ CATALYST_MODE: value });
      expect(error.problems).toEqual([
        { variable: 'CATALYST_MODE', message: 'must be mothership or sovereign' },
      ]);
    },
  );
});
