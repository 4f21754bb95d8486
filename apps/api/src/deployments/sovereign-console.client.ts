import { healthSchema } from '@catalyst/contracts';
import { z } from 'zod';

/** A health answer is `{"status":"ok"}` (health/liveness.ts); anything larger is not one. */
export const MAX_HEALTH_BYTES = 1024;

/** Exactly what a Catalyst's liveness route answers, nothing more. */
const consoleHealthSchema = z.strictObject(healthSchema.shape);

export type ConsoleHealth = { ok: true } | { ok: false; reason: string };

/**
 * Asks a new Sovereign's console whether it answers: GET `<consoleUrl>/healthz`. The other side is not
 * trusted yet: only a 200 with a JSON body that parses as the health answer counts; redirects are not
 * followed, the body is read up to MAX_HEALTH_BYTES and the whole attempt is bounded by `timeoutMs`.
 * The reason of a refusal is ours, never text from the answer. Rejects only when `signal` is aborted.
 */
export async function checkConsoleHealth(
  consoleUrl: string,
  options: { timeoutMs: number; signal?: AbortSignal },
): Promise<ConsoleHealth> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  try {
    const response = await fetch(`${consoleUrl}/healthz`, {
      method: 'GET',
      redirect: 'manual',
      headers: { accept: 'application/json' },
      signal,
    });
    if (response.status !== 200) {
      await response.body?.cancel().catch(() => undefined);
      return { ok: false, reason: `HTTP ${response.status}` };
    }
    const body = await readBounded(response, MAX_HEALTH_BYTES);
    if (body === undefined) return { ok: false, reason: `an answer over ${MAX_HEALTH_BYTES} bytes` };
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return { ok: false, reason: 'an answer that is not JSON' };
    }
    if (!consoleHealthSchema.safeParse(parsed).success)
      return { ok: false, reason: 'an answer that is not a Catalyst health answer' };
    return { ok: true };
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason ?? error;
    if (timeout.aborted) return { ok: false, reason: `no answer within ${options.timeoutMs / 1000} s` };
    return { ok: false, reason: describeNetworkError(error) };
  }
}

/** The body as text, or undefined once it grows past `limit` bytes (the rest is not read). */
async function readBounded(response: Response, limit: number): Promise<string | undefined> {
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > limit) {
    await response.body?.cancel().catch(() => undefined);
    return undefined;
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  return new TextDecoder('utf-8').decode(Buffer.concat(chunks));
}

/** A network failure in words of our own (the error code when there is one, e.g. ECONNREFUSED). */
function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  const code =
    typeof cause?.code === 'string' && /^[A-Z0-9_]{2,40}$/.test(cause.code) ? cause.code : undefined;
  return code ? `no connection (${code})` : 'no connection';
}
