import { E2E_PORTS } from './ports.mjs';

/** Waits for the newest sign-in code mailed to `email` (read from the SMTP peer's inbox). */
export async function waitForPin(email: string, after = 0, timeoutMs = 15_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await fetch(`http://127.0.0.1:${E2E_PORTS.inbox}/?to=${encodeURIComponent(email)}`);
    const mails = (await response.json()) as { raw: string }[];
    const match =
      mails.length > after ? /sign-in code is (\d{6})/.exec(mails[mails.length - 1]?.raw ?? '') : null;
    if (match?.[1]) return match[1];
    if (Date.now() > deadline) throw new Error(`no sign-in code mailed to ${email}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export async function mailCount(email: string): Promise<number> {
  const response = await fetch(`http://127.0.0.1:${E2E_PORTS.inbox}/?to=${encodeURIComponent(email)}`);
  return ((await response.json()) as unknown[]).length;
}

interface InboxMail {
  to: string[];
  raw: string;
}

async function inbox(email: string): Promise<InboxMail[]> {
  const response = await fetch(`http://127.0.0.1:${E2E_PORTS.inbox}/?to=${encodeURIComponent(email)}`);
  return (await response.json()) as InboxMail[];
}

function splitMessage(raw: string): { headers: string; body: string } {
  const at = raw.search(/\r?\n\r?\n/);
  if (at < 0) return { headers: raw, body: '' };
  return { headers: raw.slice(0, at), body: raw.slice(at).replace(/^\r?\n\r?\n/, '') };
}

function header(headers: string, name: string): string {
  const unfolded = headers.replace(/\r?\n[ \t]+/g, ' ');
  const match = new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(unfolded);
  return match?.[1]?.trim() ?? '';
}

function decodeBody(body: string, encoding: string): string {
  switch (encoding.toLowerCase()) {
    case 'base64':
      return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    case 'quoted-printable': {
      const bytes = body
        .replace(/=\r?\n/g, '')
        .replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
      return Buffer.from(bytes, 'latin1').toString('utf8');
    }
    default:
      return body;
  }
}

/** The decoded text/plain part of a raw MIME message (multipart or not). */
export function plainText(raw: string): string {
  const { headers, body } = splitMessage(raw);
  const type = header(headers, 'content-type') || 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (type.toLowerCase().startsWith('multipart/') && boundary) {
    const parts = body.split(`--${boundary}`).slice(1);
    for (const part of parts) {
      if (part.startsWith('--')) break;
      const text = plainText(part.replace(/^\r?\n/, ''));
      if (text) return text;
    }
    return '';
  }
  if (!type.toLowerCase().startsWith('text/plain')) return '';
  return decodeBody(body, header(headers, 'content-transfer-encoding'));
}

/**
 * Waits for a mail to `email` whose text matches `pattern`, newer than the first `after` mails
 * (the peer keeps every mail), and returns the newest such text.
 */
export async function waitForMail(
  email: string,
  pattern: RegExp,
  { after = 0, timeoutMs = 15_000 }: { after?: number; timeoutMs?: number } = {},
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const texts = (await inbox(email)).slice(after).map((mail) => plainText(mail.raw));
    const newest = texts.reverse().find((text) => pattern.test(text));
    if (newest) return newest;
    if (Date.now() > deadline) throw new Error(`no mail matching ${pattern} to ${email}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
