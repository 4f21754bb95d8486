import { sovereignSmtpSchema } from '@catalyst/contracts';
import nodemailer from 'nodemailer';
import { describe, expect, it } from 'vitest';
import { smtpUrlOf, sovereignMailObjects } from './sovereign-mail.js';

/** What nodemailer's SMTP transport makes of the URL: the options it connects with. */
function transportOptions(url: string) {
  const transport = nodemailer.createTransport(url) as unknown as {
    options: Record<string, unknown>;
    close(): void;
  };
  transport.close();
  return transport.options;
}

describe('smtpUrlOf', () => {
  it('asks nodemailer for STARTTLS it will not do without, TLS from the first byte, or plain SMTP', () => {
    const base = {
      host: 'smtp.acme.example',
      from: 'a@acme.example',
      username: 'u@acme',
      password: 'p:w/d%',
    };
    const starttls = transportOptions(smtpUrlOf(sovereignSmtpSchema.parse(base), base.password));
    expect(starttls).toMatchObject({
      host: 'smtp.acme.example',
      port: 587,
      secure: false,
      requireTLS: true,
      auth: { user: 'u@acme', pass: 'p:w/d%' },
    });
    const tls = transportOptions(
      smtpUrlOf(sovereignSmtpSchema.parse({ ...base, security: 'tls' }), base.password),
    );
    expect(tls).toMatchObject({ port: 465, secure: true });
    expect(tls.requireTLS).toBeUndefined();
    const none = sovereignSmtpSchema.parse({ host: 'mx', security: 'none', from: 'a@acme.example' });
    const plain = transportOptions(smtpUrlOf(none, undefined));
    expect(plain).toMatchObject({ host: 'mx', port: 25, secure: false, ignoreTLS: true });
    expect(plain.auth).toBeUndefined();
  });

  it('builds the namespace first, then the Secret with SMTP_URL and MAIL_FROM as base64 data', () => {
    const smtp = sovereignSmtpSchema.parse({ host: 'mx', from: 'Acme <a@acme.example>' });
    const [namespace, secret] = sovereignMailObjects(smtp, undefined) as [
      { kind: string; metadata: { name: string } },
      { kind: string; metadata: { name: string; namespace: string }; data: Record<string, string> },
    ];
    expect(namespace).toMatchObject({ kind: 'Namespace', metadata: { name: 'catalyst-system' } });
    expect(secret).toMatchObject({
      kind: 'Secret',
      metadata: { name: 'catalyst-smtp', namespace: 'catalyst-system' },
    });
    expect(Buffer.from(secret.data.MAIL_FROM ?? '', 'base64').toString()).toBe('Acme <a@acme.example>');
    expect(Buffer.from(secret.data.SMTP_URL ?? '', 'base64').toString()).toBe(
      'smtp://mx:587?requireTLS=true',
    );
  });
});
