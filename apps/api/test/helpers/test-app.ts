import type { Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../src/bootstrap.js';
import { createLogger } from '../../src/common/logger.js';
import { loadConfig } from '../../src/config/config.js';
import { type PreparedRuntime, prepareRuntime } from '../../src/runtime.js';
import { createTestDatabase } from './database.js';
import { LogCapture } from './log-capture.js';
import { answeringConsoleUrl } from './sovereign-console.js';

const CLOSED = 'http://127.0.0.1:9';
const OFFLINE_DEFAULTS = {
  CATALYST_DNS_RESOLVER: '127.0.0.1:9',
  CLOUDFLARE_API_URL: CLOSED,
  NAMECHEAP_API_URL: CLOSED,
  GODADDY_API_URL: CLOSED,
  OVH_API_URL: CLOSED,
  DYNADOT_API_URL: CLOSED,
  HCLOUD_ENDPOINT: `${CLOSED}/v1`,
};

export const TEST_SECRET_KEY = 'test-secret-key-that-is-long-enough-0123456789';

export interface TestApp {
  app: NestFastifyApplication;
  runtime: PreparedRuntime;
  logs: LogCapture;
  databaseUrl: string;
  close(): Promise<void>;
}

/**
 * The real application on a fresh database of its own, configured through the same environment
 * parsing as production. `env` overrides variables; `databaseUrl` shares a database between apps.
 */
export async function startTestApp(
  options: {
    env?: Record<string, string>;
    databaseUrl?: string;
    extraModules?: Type[];
    webDir?: string;
  } = {},
): Promise<TestApp> {
  const database = options.databaseUrl ? undefined : await createTestDatabase();
  const databaseUrl = options.databaseUrl ?? (database?.url as string);
  const config = loadConfig({
    DATABASE_URL: databaseUrl,
    CATALYST_SECRET_KEY: TEST_SECRET_KEY,
    CATALYST_DATA_DIR: '/nonexistent-catalyst-test-dir',
    LOG_LEVEL: 'debug',
    // Nothing in a test may reach outside this machine: every outside system defaults to a closed
    // loopback port, and tests point the ones they exercise at their emulators.
    ...OFFLINE_DEFAULTS,
    // A run's handover phase waits for the new Sovereign's console: one that answers, unless a test says otherwise.
    CATALYST_SOVEREIGN_CONSOLE_URL: await answeringConsoleUrl(),
    ...options.env,
  });
  const logs = new LogCapture();
  const runtime = await prepareRuntime(config, createLogger(config.logLevel, logs));
  const app = await createApp(runtime, {
    extraModules: options.extraModules,
    webDir: options.webDir ?? '/nonexistent-catalyst-web-dir',
  });
  await app.getHttpAdapter().getInstance().ready();
  return {
    app,
    runtime,
    logs,
    databaseUrl,
    close: async () => {
      await app.close();
      await runtime.close();
      await database?.drop();
    },
  };
}

/** The session cookie from a sign-in response, ready to send back as a Cookie header. */
export function sessionCookie(setCookie: string | string[] | undefined): string {
  const header = Array.isArray(setCookie) ? setCookie.join('\n') : (setCookie ?? '');
  // `__Host-catalyst_session` when PUBLIC_URL is https.
  const match = /((?:__Host-)?catalyst_session)=([^;]+)/.exec(header);
  if (!match?.[2]) throw new Error('no session cookie was set');
  return `${match[1]}=${match[2]}`;
}
