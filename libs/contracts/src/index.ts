export * from './auth.js';
export * from './domains.js';
export * from './errors.js';
export * from './events.js';
export * from './health.js';
export * from './mail.js';
