import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { envSchema } from './config.schema.js';

/** The typed configuration, built once at start-up and injected everywhere (never `process.env`). */
export interface Config {
  port: number;
  host: string;
  publicUrl: string;
  marketplaceUrl: string;
  /** Unset → the api runs an embedded PostgreSQL under `dataDir`. */
  databaseUrl?: string;
  /** Absolute path of the directory for the embedded database and the generated secret key. */
  dataDir: string;
  /** Unset → events stay in-process. */
  natsUrl?: string;
  /** Unset → mail goes to the dev outbox. */
  smtpUrl?: string;
  mailFrom: string;
  /** Unset → generated once and persisted under `dataDir` (see crypto/secret-key.ts). */
  secretKey?: string;
  adminEmails: string[];
  trustProxy: boolean;
  logLevel: string;
}

export const CONFIG = Symbol('CONFIG');

export class ConfigError extends Error {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(
      `Invalid configuration:\n${problems.map((p) => `  ${p.variable}: ${p.message}`).join('\n')}\n` +
        'See docs/configuration.md for every variable and its default.',
    );
    this.name = 'ConfigError';
  }
}

/** Parses the environment; throws a ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined>, cwd = process.cwd()): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue: z.core.$ZodIssue) => ({
        variable: String(issue.path[0] ?? 'environment'),
        message: issue.message,
      })),
    );
  }
  const e = parsed.data;
  const publicUrl = stripTrailingSlash(e.PUBLIC_URL ?? `http://localhost:${e.PORT}`);
  return {
    port: e.PORT,
    host: e.HOST,
    publicUrl,
    marketplaceUrl: stripTrailingSlash(e.MARKETPLACE_URL ?? publicUrl),
    databaseUrl: e.DATABASE_URL,
    dataDir: isAbsolute(e.CATALYST_DATA_DIR) ? e.CATALYST_DATA_DIR : resolve(cwd, e.CATALYST_DATA_DIR),
    natsUrl: e.NATS_URL,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM ?? `Catalyst <no-reply@${new URL(publicUrl).hostname}>`,
    secretKey: e.CATALYST_SECRET_KEY,
    adminEmails: e.CATALYST_ADMIN_EMAILS,
    trustProxy: e.CATALYST_TRUST_PROXY,
    logLevel: e.LOG_LEVEL,
  };
}

function stripTrailingSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
