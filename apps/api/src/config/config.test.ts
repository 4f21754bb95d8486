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
});
