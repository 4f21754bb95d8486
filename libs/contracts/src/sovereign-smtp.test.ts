import { describe, expect, it } from 'vitest';
import { parseMailbox, sovereignSmtpSchema } from './sovereign-smtp.js';

const issuesOf = (input: unknown) => {
  const parsed = sovereignSmtpSchema.safeParse(input);
  if (parsed.success) throw new Error('expected the input to be refused');
  return parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
};

describe('sovereignSmtpSchema', () => {
  it('defaults to STARTTLS on 587 and writes the sender back in one form', () => {
    expect(
      sovereignSmtpSchema.parse({ host: 'SMTP.Acme.Example', from: '  Acme   <no-reply@acme.example> ' }),
    ).toEqual({
      host: 'smtp.acme.example',
      port: 587,
      security: 'starttls',
      from: 'Acme <no-reply@acme.example>',
    });
  });

  it('takes the usual port of the security chosen unless one is given', () => {
    expect(sovereignSmtpSchema.parse({ host: 'mx', security: 'tls', from: 'a@b.example' }).port).toBe(465);
    expect(sovereignSmtpSchema.parse({ host: 'mx', security: 'none', from: 'a@b.example' }).port).toBe(25);
    expect(sovereignSmtpSchema.parse({ host: 'mx', port: 2525, from: 'a@b.example' }).port).toBe(2525);
  });

  it('refuses port 0, an unknown field, a password alone and a sender that is not a mailbox, naming each field', () => {
    expect(issuesOf({ host: 'mx', port: 0, from: 'a@b.example' })).toEqual([
      { path: 'port', message: 'The port is a number from 1 to 65535' },
    ]);
    expect(issuesOf({ host: 'mx', from: 'a@b.example', tls: true }).map((i) => i.path)).toEqual(['']);
    expect(issuesOf({ host: 'mx', from: 'a@b.example', tls: true })[0]?.message).toContain('tls');
    expect(issuesOf({ host: 'mx', from: 'a@b.example', password: 'secret-pass' })).toEqual([
      { path: 'username', message: 'Enter the user name that goes with the password (or leave both empty)' },
    ]);
    expect(issuesOf({ host: 'mx', from: 'a@b.example', username: 'mailer' })[0]?.path).toBe('password');
    for (const from of [
      'Acme',
      'Acme <not-an-address>',
      'a@b.example, c@d.example',
      'A, B <a@b.example>',
      'x\r\nBcc: y <a@b.example>',
    ])
      expect(issuesOf({ host: 'mx', from })[0]?.path, from).toBe('from');
    expect(
      issuesOf({ host: 'mx', from: 'a@b.example', username: 'u', password: 'line\r\nbreak' })[0]?.path,
    ).toBe('password');
    // The missing half is named beside the other fields' issues, so a form shows them all at once.
    expect(
      issuesOf({ host: 'mx', port: 0, from: 'nope', password: 'secret-pass' }).map((i) => i.path),
    ).toEqual(['port', 'from', 'username']);
    expect(issuesOf({ host: 'smtp acme', from: 'a@b.example' })[0]?.path).toBe('host');
    expect(issuesOf({ host: 'mx', from: 'a@b.example', security: 'ssl' })[0]?.path).toBe('security');
  });
});

describe('parseMailbox', () => {
  it('reads a bare address and a named one', () => {
    expect(parseMailbox('no-reply@acme.example')).toEqual({ address: 'no-reply@acme.example' });
    expect(parseMailbox('Acme Cloud <no-reply@acme.example>')).toEqual({
      name: 'Acme Cloud',
      address: 'no-reply@acme.example',
    });
    expect(parseMailbox('<no-reply@acme.example>')).toEqual({ address: 'no-reply@acme.example' });
  });
});
