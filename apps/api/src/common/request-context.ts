import { AsyncLocalStorage } from 'node:async_hooks';

/** Per-request context, so every log line of a request carries its id without passing it around. */
export const requestContext = new AsyncLocalStorage<{ reqId: string }>();
