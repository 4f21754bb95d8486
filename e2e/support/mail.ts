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
