import { describe, expect, it } from 'vitest';
import { LogCapture } from '../../test/helpers/log-capture.js';
import { createLogger, redactSecrets } from './logger.js';
import { requestContext } from './request-context.js';

describe('redactSecrets', () => {
  it('redacts secret-named keys at any depth and leaves the rest', () => {
    const out = redactSecrets({
      email: 'a@b.c',
      hetznerToken: 'tok',
      nested: { credentials: { apiKey: 'k' }, list: [{ password: 'p', name: 'n' }] },
      headers: { authorization: 'Bearer x', cookie: 'catalyst_session=y' },
      pin: '123456',
      pinned: true,
      mail: { to: 'a@b.c', body: 'code 123456', text: 'code 123456', html: '<b>123456</b>' },
    });
    expect(out).toEqual({
      email: 'a@b.c',
      hetznerToken: '[redacted]',
      nested: { credentials: '[redacted]', list: [{ password: '[redacted]', name: 'n' }] },
      headers: { authorization: '[redacted]', cookie: '[redacted]' },
      pin: '[redacted]',
      pinned: true,
      mail: { to: 'a@b.c', body: '[redacted]', text: '[redacted]', html: '[redacted]' },
    });
  });
});

describe('createLogger', () => {
  it('writes JSON lines with the request id of the current request and no secrets', () => {
    const capture = new LogCapture();
    const logger = createLogger('info', capture);
    requestContext.run({ reqId: 'req-42' }, () => logger.info({ kubeconfig: 'apiVersion: v1' }, 'hello'));
    const [entry] = capture.entries();
    expect(entry).toMatchObject({
      msg: 'hello',
      reqId: 'req-42',
      kubeconfig: '[redacted]',
      service: 'catalyst-api',
    });
  });
});
