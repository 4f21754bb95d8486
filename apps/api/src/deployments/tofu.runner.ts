import { createInterface } from 'node:readline';
import { execa } from 'execa';

export interface TofuResult {
  exitCode: number | undefined;
  /** True when the run was stopped on request. */
  cancelled: boolean;
}

export interface TofuRunOptions {
  bin: string;
  cwd: string;
  env: Record<string, string>;
  /** Aborting asks tofu to stop: SIGINT, then SIGTERM after `graceSeconds`, then SIGKILL. */
  signal: AbortSignal;
  graceSeconds: number;
  onLine: (stream: 'stdout' | 'stderr', line: string) => void | Promise<void>;
}

/** Lines read but not yet handled at which reading pauses, and at which it goes on again. */
const PAUSE_AT_LINES = 2_000;
const RESUME_AT_LINES = 500;

/** The whole environment of a tofu process: `env` plus PATH and HOME, none of the api's own variables. */
export function tofuProcessEnv(env: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...env };
}

/** Thrown when the tofu binary cannot be started at all. */
export class TofuNotFoundError extends Error {}

/**
 * Runs one tofu command in its own process group, handing every output line to `onLine` in order.
 * Only the variables given are passed (plus PATH/HOME), so nothing of the api's own environment leaks.
 */
export async function runTofu(args: string[], options: TofuRunOptions): Promise<TofuResult> {
  const child = execa(options.bin, args, {
    cwd: options.cwd,
    env: tofuProcessEnv(options.env),
    extendEnv: false,
    reject: false,
    detached: true,
    stdin: 'ignore',
    buffer: false,
  });

  let cancelled = false;
  const timers: NodeJS.Timeout[] = [];
  const stop = () => {
    cancelled = true;
    child.kill('SIGINT');
    timers.push(setTimeout(() => child.kill('SIGTERM'), options.graceSeconds * 1000));
    timers.push(
      setTimeout(
        () => {
          // Last resort: tofu and its provider plugins, as a group.
          if (child.pid) {
            try {
              process.kill(-child.pid, 'SIGKILL');
            } catch {
              // already gone
            }
          }
        },
        options.graceSeconds * 2000 + 30_000,
      ),
    );
  };
  if (options.signal.aborted) stop();
  else options.signal.addEventListener('abort', stop, { once: true });

  // Lines are handled strictly in order, across both streams, so stored events keep tofu's order. When
  // `onLine` falls behind, reading pauses (and tofu, its pipe full, waits) rather than queueing without bound.
  let queue = Promise.resolve();
  let unhandled = 0;
  const readers: ReturnType<typeof createInterface>[] = [];
  const pump = (stream: 'stdout' | 'stderr', source: NodeJS.ReadableStream | null) =>
    new Promise<void>((resolve) => {
      if (!source) return resolve();
      const lines = createInterface({ input: source, crlfDelay: Number.POSITIVE_INFINITY });
      readers.push(lines);
      lines.on('line', (line) => {
        if (!line.trim()) return;
        if (++unhandled === PAUSE_AT_LINES) for (const reader of readers) reader.pause();
        queue = queue
          .then(() => options.onLine(stream, line))
          .catch(() => undefined)
          .finally(() => {
            if (--unhandled === RESUME_AT_LINES) for (const reader of readers) reader.resume();
          });
      });
      lines.on('close', resolve);
    });

  try {
    const [result] = await Promise.all([child, pump('stdout', child.stdout), pump('stderr', child.stderr)]);
    await queue;
    if (
      (result as { code?: string }).code === 'ENOENT' ||
      (result.failed && result.exitCode === undefined && !cancelled)
    ) {
      throw new TofuNotFoundError(options.bin);
    }
    return { exitCode: result.exitCode, cancelled };
  } finally {
    for (const timer of timers) clearTimeout(timer);
    options.signal.removeEventListener('abort', stop);
  }
}
