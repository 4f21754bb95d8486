/** Fastify's `trustProxy` test: is the address at `hop` (0 = the socket peer) one of our proxies? */
export type TrustProxyTest = (address: string, hop: number) => boolean;

/**
 * CATALYST_TRUST_PROXY as Fastify takes it. A hop count becomes an explicit test, because Fastify
 * treats a bare number as "trust nothing"; with `n` hops the client is the n-th X-Forwarded-For
 * entry from the right, the entries left of it (which the client writes itself) are ignored.
 */
export function fastifyTrustProxy(setting: false | number | string[]): false | string[] | TrustProxyTest {
  if (typeof setting !== 'number') return setting;
  return (_address, hop) => hop < setting;
}
