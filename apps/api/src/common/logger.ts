import pino, { type DestinationStream, type Logger } from 'pino';
import { requestContext } from './request-context.js';

/**
 * Keys whose values never reach a log line, at any depth. Mail parts (`body`, `text`, `html`) are
 * among them: a mail may carry a sign-in code.
 */
const SECRET_KEY_PATTERN =
  /pass(word)?|secret|token|authorization|cookie|^pin$|pin_?hash|api_?key|credential|kubeconfig|private_?key|sealed|^(body|text|html)$/i;

export function redactSecrets(value: unknown, depth = 0): unknown {
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return value;
  if (Array.isArray(value)) return value.map((item) => redactSecrets(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    out[key] = SECRET_KEY_PATTERN.test(key) ? '[redacted]' : redactSecrets(inner, depth + 1);
  }
  return out;
}

/** JSON logs (pino) with the request id mixed in and secrets redacted by key name. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'catalyst-api' },
      timestamp: pino.stdTimeFunctions.isoTime,
      mixin: () => {
        const ctx = requestContext.getStore();
        return ctx ? { reqId: ctx.reqId } : {};
      },
      formatters: { log: (object) => redactSecrets(object) as Record<string, unknown> },
      serializers: {
        err: pino.stdSerializers.err,
        req: (req: { method: string; url: string; id?: string }) => ({ method: req.method, url: req.url }),
      },
    },
    destination,
  );
}
