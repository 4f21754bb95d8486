import Fastify from 'fastify';
import { registerLiveness } from '../../src/health/liveness.js';

let answering: Promise<string> | undefined;

/**
 * A new Sovereign's console that answers its health check with the product's own liveness route, on a
 * loopback port of its own: the console every test app's runs hand over to unless a test points
 * CATALYST_SOVEREIGN_CONSOLE_URL elsewhere (a second instance, a closed port). One per test process.
 */
export function answeringConsoleUrl(): Promise<string> {
  answering ??= (async () => {
    const fastify = Fastify({ logger: false });
    registerLiveness(fastify);
    await fastify.listen({ host: '127.0.0.1', port: 0 });
    // Never keeps a test process alive.
    fastify.server.unref();
    const address = fastify.server.address();
    if (!address || typeof address === 'string') throw new Error('the console stub has no port');
    return `http://127.0.0.1:${address.port}`;
  })();
  return answering;
}
