/** The process-wide pino logger. */
export const LOGGER = Symbol('LOGGER');
