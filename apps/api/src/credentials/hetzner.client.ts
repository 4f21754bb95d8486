import type { CredentialsStatus } from '@catalyst/contracts';

const TIMEOUT_MS = 10_000;
/** A write Hetzner must refuse whatever the token may do: an empty name is never a valid SSH key. */
const WRITE_PROBE_BODY = JSON.stringify({ name: '', public_key: 'x' });
/** Answers to the write probe that mean the token got past the permission check. */
const WRITE_ALLOWED_CODES = new Set([
  'invalid_input',
  'json_error',
  'uniqueness_error',
  'resource_limit_exceeded',
]);

const CREATE_READ_WRITE =
  'Create a token with Read & Write permission under Security → API tokens in the Hetzner Cloud project.';

export interface HetznerTokenCheck {
  status: CredentialsStatus;
  /** For people; never holds the token. */
  message: string;
  /** When rate-limited: seconds until Hetzner refills the project's budget. */
  retryAfterSeconds?: number;
  /** Hetzner's X-Correlation-Id of the last answer, for support requests. */
  correlationId?: string;
}

interface Answer {
  status: number;
  headers: Headers;
  /** The parsed JSON body; undefined when it is not JSON. */
  body: unknown;
}

/**
 * The Hetzner Cloud API (docs/external-apis.md, "Hetzner Cloud"). `endpoint` is the API base including
 * `/v1`. The token travels only in the Authorization header: it is never put in a message, an error or
 * a log.
 */
export class HetznerClient {
  private readonly endpoint: string;
  private readonly timeoutMs: number;

  constructor(options: { endpoint: string; timeoutMs?: number }) {
    this.endpoint = options.endpoint.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? TIMEOUT_MS;
  }

  /**
   * Is the token valid, and may it write? Hetzner has no "whoami": a read proves the token, and a
   * write that must fail validation tells read-only (`token_readonly`) from read-write
   * (`invalid_input`). Nothing is ever created.
   */
  async validateToken(token: string): Promise<HetznerTokenCheck> {
    // A header cannot carry other characters; such a string cannot be a Hetzner token either.
    if (!/^[\x21-\x7e]+$/.test(token)) {
      return { status: 'invalid', message: 'This is not a Hetzner Cloud API token.' };
    }
    const read = await this.call(token, 'GET', '/locations?per_page=1');
    if (!isAnswer(read)) return read;
    if (read.status === 200) {
      if (!Array.isArray((read.body as { locations?: unknown } | undefined)?.locations)) {
        return unreachable('The Hetzner Cloud endpoint did not answer like the Hetzner Cloud API.', read);
      }
      return this.probeWrite(token);
    }
    return failure(read, token);
  }

  private async probeWrite(token: string): Promise<HetznerTokenCheck> {
    const write = await this.call(token, 'POST', '/ssh_keys', WRITE_PROBE_BODY);
    if (!isAnswer(write)) return write;
    const code = errorOf(write.body)?.code;
    const correlationId = correlationIdOf(write);
    if (code === 'token_readonly' || code === 'forbidden') {
      return { status: 'read-only', message: `This token is read-only. ${CREATE_READ_WRITE}`, correlationId };
    }
    if (
      (write.status === 400 || write.status === 403 || write.status === 409) &&
      WRITE_ALLOWED_CODES.has(code ?? '')
    ) {
      return readWrite(correlationId);
    }
    if (write.status === 201) {
      // Hetzner accepted what it must refuse: remove the key again so the check leaves nothing behind.
      const id = (write.body as { ssh_key?: { id?: unknown } } | undefined)?.ssh_key?.id;
      if (typeof id === 'number') await this.call(token, 'DELETE', `/ssh_keys/${id}`);
      return readWrite(correlationId);
    }
    return failure(write, token);
  }

  /** One call; a network failure or timeout is answered as an `unreachable` check. */
  private async call(
    token: string,
    method: string,
    path: string,
    body?: string,
  ): Promise<Answer | HetznerTokenCheck> {
    try {
      const response = await fetch(`${this.endpoint}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      const text = await response.text();
      return { status: response.status, headers: response.headers, body: parseJson(text) };
    } catch (error) {
      const timedOut = error instanceof Error && error.name === 'TimeoutError';
      return {
        status: 'unreachable',
        message: timedOut
          ? `Hetzner Cloud did not answer within ${Math.ceil(this.timeoutMs / 1000)} s. Try again shortly.`
          : 'Hetzner Cloud could not be reached. Check the network and try again shortly.',
      };
    }
  }
}

/** What an answer other than the expected one says about the token. */
function failure(answer: Answer, token: string): HetznerTokenCheck {
  const error = errorOf(answer.body);
  const correlationId = correlationIdOf(answer);
  if (answer.status === 401 || answer.status === 403) {
    const gist = error?.message ? `: ${sanitize(error.message, token)}` : '';
    return {
      status: 'invalid',
      message: `Hetzner Cloud rejected the token${gist}. Check that it was copied whole, or create a new one under Security → API tokens with Read & Write.`,
      correlationId,
    };
  }
  if (answer.status === 429 || error?.code === 'rate_limit_exceeded') {
    const retryAfterSeconds = secondsUntilReset(answer.headers);
    return {
      status: 'rate-limited',
      message: `Hetzner Cloud is rate-limiting requests of this token's project. Try again in ${formatWait(retryAfterSeconds)}.`,
      retryAfterSeconds,
      correlationId,
    };
  }
  if (answer.status >= 500) {
    return unreachable(
      `Hetzner Cloud is not answering properly (HTTP ${answer.status}). Try again shortly.`,
      answer,
    );
  }
  return unreachable(
    `Hetzner Cloud gave an unexpected answer (HTTP ${answer.status}). Try again shortly.`,
    answer,
  );
}

function isAnswer(result: Answer | HetznerTokenCheck): result is Answer {
  return typeof result.status === 'number';
}

function readWrite(correlationId: string | undefined): HetznerTokenCheck {
  return {
    status: 'valid',
    message: 'The token can read and write its Hetzner Cloud project.',
    correlationId,
  };
}

function unreachable(message: string, answer: Answer): HetznerTokenCheck {
  return { status: 'unreachable', message, correlationId: correlationIdOf(answer) };
}

function errorOf(body: unknown): { code?: string; message?: string } | undefined {
  const error = (body as { error?: unknown } | undefined)?.error;
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, message } = error as Record<string, unknown>;
  return {
    code: typeof code === 'string' ? code : undefined,
    message: typeof message === 'string' ? message : undefined,
  };
}

function correlationIdOf(answer: Answer): string | undefined {
  return answer.headers.get('x-correlation-id') ?? undefined;
}

/** Hetzner's own words, kept short, on one line, and without the token should they ever quote it. */
function sanitize(message: string, token: string): string {
  const line = message.split(token).join('[token]').replace(/\s+/g, ' ').trim();
  return line.length > 160 ? `${line.slice(0, 159)}…` : line;
}

/** RateLimit-Reset is the unix time (seconds) at which the budget is full again. */
function secondsUntilReset(headers: Headers): number {
  const reset = Number(headers.get('ratelimit-reset'));
  if (Number.isFinite(reset) && reset > 0) return Math.max(1, Math.ceil(reset - Date.now() / 1000));
  const retryAfter = Number(headers.get('retry-after'));
  return Number.isFinite(retryAfter) && retryAfter > 0 ? Math.ceil(retryAfter) : 60;
}

function formatWait(seconds: number): string {
  return seconds < 120 ? `${seconds} s` : `${Math.ceil(seconds / 60)} minutes`;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
