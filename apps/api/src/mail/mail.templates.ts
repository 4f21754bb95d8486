/** A rendered mail: the text part for every client, the HTML part for those that show it. */
export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function layout(title: string, body: string): string {
  return `<!doctype html><html><body style="margin:0;background:#f4f5f7;font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#1b1f26">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0"><tr><td align="center" style="padding:32px 16px">
<table role="presentation" width="480" cellpadding="0" cellspacing="0" style="background:#fff;border-radius:12px;padding:32px">
<tr><td><p style="margin:0 0 24px;font-weight:600;font-size:14px;letter-spacing:.04em;color:#5b6472">CATALYST</p>
<h1 style="margin:0 0 16px;font-size:20px">${escapeHtml(title)}</h1>${body}</td></tr></table>
</td></tr></table></body></html>`;
}

export function pinMail(input: { pin: string; ttlMinutes: number; publicUrl: string }): RenderedMail {
  const subject = 'Your Catalyst sign-in code';
  const text = [
    `Your sign-in code is ${input.pin}`,
    '',
    `It works once and expires in ${input.ttlMinutes} minutes.`,
    `If you did not try to sign in at ${input.publicUrl}, ignore this mail.`,
  ].join('\n');
  const html = layout(
    'Your sign-in code',
    `<p style="margin:0 0 16px">Enter this code to sign in:</p>
<p style="margin:0 0 24px;font-size:32px;font-weight:700;letter-spacing:.3em;font-family:ui-monospace,monospace">${escapeHtml(input.pin)}</p>
<p style="margin:0;color:#5b6472;font-size:14px">It works once and expires in ${input.ttlMinutes} minutes. If you did not try to sign in at ${escapeHtml(input.publicUrl)}, ignore this mail.</p>`,
  );
  return { subject, text, html };
}

export function voucherMail(input: {
  code: string;
  creditOmr: string;
  description?: string | null;
  redeemUrl: string;
}): RenderedMail {
  const subject = `You have been sent ${input.creditOmr} OMR of cloud credit`;
  const text = [
    `You have been sent a voucher worth ${input.creditOmr} OMR.`,
    ...(input.description ? ['', input.description] : []),
    '',
    `Voucher code: ${input.code}`,
    `Redeem it here: ${input.redeemUrl}`,
  ].join('\n');
  const html = layout(
    `${input.creditOmr} OMR of cloud credit`,
    `${input.description ? `<p style="margin:0 0 16px">${escapeHtml(input.description)}</p>` : ''}
<p style="margin:0 0 8px;color:#5b6472;font-size:14px">Voucher code</p>
<p style="margin:0 0 24px;font-size:22px;font-weight:700;font-family:ui-monospace,monospace">${escapeHtml(input.code)}</p>
<p style="margin:0"><a href="${escapeHtml(input.redeemUrl)}" style="display:inline-block;background:#2459d6;color:#fff;text-decoration:none;padding:12px 20px;border-radius:8px;font-weight:600">Redeem voucher</a></p>`,
  );
  return { subject, text, html };
}

/** To the owner of an address whose sign-in was paused after too many wrong codes. */
export function signInLockedMail(input: {
  failures: number;
  lockoutMinutes: number;
  publicUrl: string;
}): RenderedMail {
  const subject = 'Someone tried to sign in to Catalyst with your address';
  const text = [
    `Someone entered ${input.failures} wrong sign-in codes for this address at ${input.publicUrl}.`,
    `Signing in with this address is paused for ${input.lockoutMinutes} minutes.`,
    '',
    'If it was you, wait, then request a new code. If it was not, nobody got in: only the codes mailed',
    'to you open your account. Never share a code with anyone.',
  ].join('\n');
  const html = layout(
    'Someone tried to sign in',
    `<p style="margin:0 0 16px">Someone entered ${input.failures} wrong sign-in codes for this address at ${escapeHtml(input.publicUrl)}. Signing in with this address is paused for ${input.lockoutMinutes} minutes.</p>
<p style="margin:0;color:#5b6472;font-size:14px">If it was you, wait, then request a new code. If it was not, nobody got in: only the codes mailed to you open your account. Never share a code with anyone.</p>`,
  );
  return { subject, text, html };
}

/** To an organization's owner when a month of an app could not be paid and the app was stopped. */
export function appSuspendedMail(input: {
  appName: string;
  environment: string;
  org: string;
  priceOmr: string;
  marketplaceUrl: string;
}): RenderedMail {
  const subject = `${input.appName} in ${input.org}/${input.environment} is suspended`;
  const text = [
    `Your wallet could not pay the next month of ${input.appName} (${input.priceOmr} OMR) in ${input.org}/${input.environment}, so it has been stopped. Its data is kept.`,
    '',
    `Redeem a voucher to top up your wallet and it starts again: ${input.marketplaceUrl}`,
  ].join('\n');
  const html = layout(
    `${input.appName} is suspended`,
    `<p style="margin:0 0 16px">Your wallet could not pay the next month of <strong>${escapeHtml(input.appName)}</strong> (${escapeHtml(input.priceOmr)} OMR) in ${escapeHtml(input.org)}/${escapeHtml(input.environment)}, so it has been stopped. Its data is kept.</p>
<p style="margin:0"><a href="${escapeHtml(input.marketplaceUrl)}" style="display:inline-block;background:#2459d6;color:#fff;text-decoration:none;padding:12px 20px;border-radius:8px;font-weight:600">Top up with a voucher</a></p>`,
  );
  return { subject, text, html };
}

/** To someone an admin invited to this Catalyst's console (the Team page), maybe with roles assigned. */
export function teamInvitationMail(input: {
  invitedBy: string;
  consoleUrl: string;
  roles: readonly string[];
}): RenderedMail {
  const subject = `${input.invitedBy} invited you to ${input.consoleUrl}`;
  const asRoles = input.roles.length ? ` as ${input.roles.join(', ')}` : '';
  const text = [
    `${input.invitedBy} invited you${asRoles} to the Catalyst console at ${input.consoleUrl}.`,
    '',
    'There is no password: open the console, enter this e-mail address and we mail you a 6-digit sign-in code.',
    '',
    `Open the console: ${input.consoleUrl}`,
  ].join('\n');
  const html = layout(
    'You are invited',
    `<p style="margin:0 0 16px"><strong>${escapeHtml(input.invitedBy)}</strong> invited you${escapeHtml(asRoles)} to the Catalyst console at ${escapeHtml(input.consoleUrl)}.</p>
<p style="margin:0 0 24px">There is no password: open the console, enter this e-mail address and we mail you a 6-digit sign-in code.</p>
<p style="margin:0"><a href="${escapeHtml(input.consoleUrl)}" style="display:inline-block;background:#2459d6;color:#fff;text-decoration:none;padding:12px 20px;border-radius:8px;font-weight:600">Open the console</a></p>`,
  );
  return { subject, text, html };
}

/** To someone an organization's owner invited (issue #15, "Team"): which org, who invited them, how to sign in. */
export function orgInvitationMail(input: {
  org: string;
  orgFqdn: string;
  inviter: string;
  role: 'org-admin' | 'member';
  marketplaceUrl: string;
}): RenderedMail {
  const what =
    input.role === 'org-admin'
      ? 'As an org-admin you create environments and install apps.'
      : 'As a member you use its environments and apps.';
  const subject = `${input.inviter} invited you to ${input.org}`;
  const text = [
    `${input.inviter} invited you to the organization ${input.org} (${input.orgFqdn}) as ${input.role}. ${what}`,
    '',
    `Open the marketplace: ${input.marketplaceUrl}`,
    'Sign in with this e-mail address: we mail you a 6-digit code to enter, no password needed.',
  ].join('\n');
  const html = layout(
    `You are invited to ${input.org}`,
    `<p style="margin:0 0 16px">${escapeHtml(input.inviter)} invited you to the organization <strong>${escapeHtml(input.org)}</strong> (${escapeHtml(input.orgFqdn)}) as ${escapeHtml(input.role)}. ${escapeHtml(what)}</p>
<p style="margin:0 0 16px"><a href="${escapeHtml(input.marketplaceUrl)}" style="display:inline-block;background:#2459d6;color:#fff;text-decoration:none;padding:12px 20px;border-radius:8px;font-weight:600">Open the marketplace</a></p>
<p style="margin:0;color:#5b6472;font-size:14px">Sign in with this e-mail address: we mail you a 6-digit code to enter, no password needed.</p>`,
  );
  return { subject, text, html };
}
