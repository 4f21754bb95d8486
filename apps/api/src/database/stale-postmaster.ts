import { existsSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';

/** How long an orphaned postmaster gets for each way of stopping it before the next, harder one. */
const FAST_SHUTDOWN_MS = 30_000;
const IMMEDIATE_SHUTDOWN_MS = 10_000;
const POLL_MS = 100;

interface ProcessInfo {
  /** One letter: R, S, D, Z (zombie), … */
  state: string;
  ppid: number;
  /** The program name the kernel keeps (`comm`), then the command line. */
  comm: string;
  argv: string[];
}

/**
 * Clears what a Catalyst killed with SIGKILL leaves behind in its embedded database directory, so
 * the next start does not fail on it:
 * - `postmaster.pid` naming a process that is gone → the file is removed;
 * - a postmaster of this directory whose parent is no longer a live Catalyst (it was orphaned) →
 *   it is stopped: fast shutdown (SIGINT), then immediate (SIGQUIT), then SIGKILL.
 * A postmaster whose parent is a live node process belongs to a running Catalyst and is left
 * alone: the start then fails as before, naming the data directory.
 */
export async function clearStalePostmaster(databaseDir: string, log: Logger): Promise<void> {
  const pidFile = join(databaseDir, 'postmaster.pid');
  const pid = readPostmasterPid(pidFile);
  if (pid === undefined) return;
  if (!isRunning(pid)) {
    rmSync(pidFile, { force: true });
    log.info({ pid, pidFile }, 'removed the pid file of a PostgreSQL that is no longer running');
    return;
  }
  const postmaster = processInfo(pid);
  // Without /proc (not Linux) or for a process that is not this directory's postmaster, nothing is
  // known for sure: leave it to PostgreSQL, which refuses to start beside a live lock holder.
  if (!postmaster || !isPostmasterOf(postmaster, databaseDir)) return;
  if (postmaster.ppid === process.pid || isLiveNode(postmaster.ppid)) return;

  log.warn(
    { pid, ppid: postmaster.ppid, databaseDir },
    'stopping an embedded PostgreSQL left running by a Catalyst that was killed',
  );
  const children = childrenOf(pid);
  if (await stopWith(pid, 'SIGINT', FAST_SHUTDOWN_MS)) return;
  if (await stopWith(pid, 'SIGQUIT', IMMEDIATE_SHUTDOWN_MS)) return;
  // Last resort: the postmaster and its backends, which would otherwise keep the shared memory.
  for (const child of [...children, ...childrenOf(pid)]) signal(child, 'SIGKILL');
  if (!(await stopWith(pid, 'SIGKILL', IMMEDIATE_SHUTDOWN_MS))) {
    throw new Error(`The orphaned PostgreSQL (pid ${pid}) of ${databaseDir} could not be stopped.`);
  }
  rmSync(pidFile, { force: true });
}

/** Line 1 of postmaster.pid; undefined when there is no file or it holds no pid. */
function readPostmasterPid(pidFile: string): number | undefined {
  if (!existsSync(pidFile)) return undefined;
  const pid = Number.parseInt(readFileSync(pidFile, 'utf8').split('\n')[0] ?? '', 10);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** Sends `sig`, then waits for the process to be gone; false if it is still there after `timeoutMs`. */
async function stopWith(pid: number, sig: NodeJS.Signals, timeoutMs: number): Promise<boolean> {
  signal(pid, sig);
  const deadline = Date.now() + timeoutMs;
  while (isRunning(pid)) {
    if (Date.now() > deadline) return false;
    await sleep(POLL_MS);
  }
  return true;
}

function signal(pid: number, sig: NodeJS.Signals): void {
  if (!(pid > 0)) return;
  try {
    process.kill(pid, sig);
  } catch (error) {
    // Gone already is what we want; anything else (EPERM) means we cannot stop it.
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/** Alive and not a zombie (an orphan's parent may never reap it, and a zombie holds nothing). */
function isRunning(pid: number): boolean {
  // Signal 0 to pid 0 would probe our own process group: never a postmaster.
  if (!(pid > 0)) return false;
  const info = processInfo(pid);
  if (info) return info.state !== 'Z' && info.state !== 'X';
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function processInfo(pid: number): ProcessInfo | undefined {
  const stat = readProc(pid, 'stat');
  const cmdline = readProc(pid, 'cmdline');
  if (stat === undefined || cmdline === undefined) return undefined;
  // `pid (comm) state ppid …`: comm may hold spaces and parentheses, so fields count from the last ')'.
  const close = stat.lastIndexOf(')');
  const [state = '', ppid = ''] = stat.slice(close + 2).split(' ');
  return {
    state,
    ppid: Number.parseInt(ppid, 10),
    comm: stat.slice(stat.indexOf('(') + 1, close),
    argv: cmdline.split('\0').filter(Boolean),
  };
}

function isPostmasterOf(info: ProcessInfo, databaseDir: string): boolean {
  const [program, ...args] = info.argv;
  if (!program || basename(program) !== 'postgres') return false;
  const dir = args[args.indexOf('-D') + 1];
  return args.includes('-D') && dir !== undefined && samePath(dir, databaseDir);
}

/** A running Catalyst is a node process; after its death its postmaster's parent is init or a reaper. */
function isLiveNode(pid: number): boolean {
  const info = isRunning(pid) ? processInfo(pid) : undefined;
  if (!info) return false;
  return /^node/.test(info.comm) || /^node/.test(basename(info.argv[0] ?? ''));
}

function childrenOf(pid: number): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  return entries
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((candidate) => processInfo(candidate)?.ppid === pid);
}

function samePath(a: string, b: string): boolean {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
}

function readProc(pid: number, file: 'stat' | 'cmdline'): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return undefined;
  }
}
