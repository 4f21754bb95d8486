#!/usr/bin/env node
// A stand-in `tofu` for the benches (point CATALYST_TOFU_BIN at this file): `version` answers like OpenTofu, `init`
// succeeds quietly, and `plan` waits for a go file, then prints N `-json` UI log lines (as fast as it can, or `rate`
// a second), each carrying the wall-clock time it was printed, and fails with an error diagnostic, so the run stops right after
// plan (no Hetzner needed) and its stream ends with the final `deployment` event.
//
// The api passes tofu only the variables it chooses, so the knobs come from a JSON control file (read at every
// invocation): `tofu-lines.json` in the parent of tofu's working directory, i.e. in CATALYST_TOFU_WORKDIR, which a
// bench makes per run. TOFU_LINES_CONTROL names another file (for trying the script by hand).
//   { "lines": 1000, "rate": 0, "goFile": "/tmp/…/go", "goLimitMs": 600000, "exitCode": 1 }
// Without a goFile, plan prints at once. The script also exports the message format for the benches' readers.
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The @message of line `i` of `n`, printed at `printedMs` (epoch ms, fractional): about a real tofu line's size. */
export function messageFor(i, n, printedMs) {
  return `hcloud_server.worker[${i}]: Refreshing state... [id=${100000 + i}] [tofu-lines ${i}/${n} printed ${printedMs.toFixed(3)}]`;
}

const MESSAGE = /\[tofu-lines (\d+)\/(\d+) printed ([\d.]+)\]/;

/** The line number and print time in a message of {@link messageFor}; undefined for any other text. */
export function parseMessage(text) {
  const match = MESSAGE.exec(text);
  return match ? { i: Number(match[1]), n: Number(match[2]), printedMs: Number(match[3]) } : undefined;
}

/** The wall clock in epoch ms with sub-millisecond resolution (comparable across processes on one machine). */
export const wallClock = () => performance.timeOrigin + performance.now();

function readControl() {
  const path = process.env.TOFU_LINES_CONTROL ?? join(dirname(process.cwd()), 'tofu-lines.json');
  return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : {};
}

/** One line of tofu's machine-readable UI stream (the -json flag). */
function uiLine(fields) {
  return `${JSON.stringify({
    '@level': 'info',
    '@module': 'tofu.ui',
    '@timestamp': new Date().toISOString(),
    ...fields,
  })}\n`;
}

function fail(summary) {
  process.stdout.write(
    uiLine({
      '@level': 'error',
      '@message': `Error: ${summary}`,
      type: 'diagnostic',
      diagnostic: { severity: 'error', summary, detail: '' },
    }),
  );
}

async function plan() {
  const control = readControl();
  const lines = Number(control.lines ?? 100);
  if (control.goFile) {
    const limit = Date.now() + Number(control.goLimitMs ?? 600_000);
    while (!existsSync(control.goFile)) {
      if (Date.now() > limit) {
        fail('tofu-lines: no go file within the limit');
        process.exitCode = 1;
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }
  // Lines per second; 0: all at once. Writes to a pipe are synchronous on Linux, so each stamp is when its line
  // went into the pipe.
  const rate = Number(control.rate ?? 0);
  const start = wallClock();
  for (let i = 1; i <= lines; i++) {
    const due = rate > 0 ? start + ((i - 1) * 1000) / rate : 0;
    if (due > wallClock()) await new Promise((resolve) => setTimeout(resolve, due - wallClock()));
    const printedMs = wallClock();
    process.stdout.write(uiLine({ '@message': messageFor(i, lines, printedMs), type: 'log' }));
  }
  const exitCode = Number(control.exitCode ?? 1);
  if (exitCode !== 0 && exitCode !== 2) fail('tofu-lines stops the run after plan (a bench stand-in)');
  process.exitCode = exitCode;
}

async function main(command) {
  switch (command) {
    case 'version':
      process.stdout.write('OpenTofu v1.10.6 (tofu-lines bench stand-in)\non linux_amd64\n');
      return;
    case 'init':
      return;
    case 'plan':
      return plan();
    default:
      fail(`tofu-lines does not do "${command}"`);
      process.exitCode = 1;
  }
}

const invoked = process.argv[1] ? realpathSync(process.argv[1]) : '';
if (invoked === realpathSync(fileURLToPath(import.meta.url))) await main(process.argv[2]);
