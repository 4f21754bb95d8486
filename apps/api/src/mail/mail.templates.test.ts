import { describe, expect, it } from 'vitest';
import { pinMail, signInLockedMail, teamInvitationMail, voucherMail } from './mail.templates.js';

describe('mail templates', () => {
  it('puts the PIN and its lifetime in both parts of the PIN mail', () => {
    const mail = pinMail({ pin: '042917', ttlMinutes: 10, publicUrl: 'https://console.example.com' });
    expect(mail.subject).not.toContain('042917');
    expect(mail.text).toContain('042917');
    expect(mail.html).toContain('042917');
    expect(mail.text).toContain('10 minutes');
  });

  it('links the voucher to its redeem URL and escapes the description in HTML', () => {
    const mail = voucherMail({
      code: 'WELCOME-100',
      creditOmr: '100.000',
      description: 'Launch <b>credit</b> & more',
      redeemUrl: 'https://market.example.com/redeem/?code=WELCOME-100',
    });
    expect(mail.text).toContain('https://market.example.com/redeem/?code=WELCOME-100');
    expect(mail.html).toContain('href="https://market.example.com/redeem/?code=WELCOME-100"');
    expect(mail.html).toContain('Launch &#60;b&#62;credit&#60;/b&#62; &#38; more');
    expect(mail.html).not.toContain('<b>credit</b>');
  });

  it('tells the owner of a locked-out address what happened and for how long, escaping the URL in HTML', () => {
    const mail = signInLockedMail({
      failures: 5,
      lockoutMinutes: 30,
      publicUrl: 'https://c.example.com/?a=<b>',
    });
    expect(mail.subject).toContain('Someone tried to sign in');
    expect(mail.text).toContain('5 wrong sign-in codes');
    expect(mail.text).toContain('30 minutes');
    expect(mail.html).toContain('https://c.example.com/?a=&#60;b&#62;');
    expect(mail.html).not.toContain('<b>');
  });
  it('says who invited whom to which console and how to sign in, escaping both in HTML', () => {
    const mail = teamInvitationMail({
      invitedBy: 'root@example.com',
      consoleUrl: 'https://console.example.com/?a=<b>',
      roles: ['sovereign-admin'],
    });
    expect(mail.subject).toContain('root@example.com invited you');
    expect(mail.text).toContain('root@example.com invited you as sovereign-admin');
    expect(mail.text).toContain('https://console.example.com/?a=<b>');
    expect(mail.text).toContain('6-digit sign-in code');
    expect(mail.html).toContain('href="https://console.example.com/?a=&#60;b&#62;"');
    expect(mail.html).not.toContain('<b>');
    expect(teamInvitationMail({ invitedBy: 'a@b.c', consoleUrl: 'https://c', roles: [] }).text).toContain(
      'a@b.c invited you to',
    );
  });
});
