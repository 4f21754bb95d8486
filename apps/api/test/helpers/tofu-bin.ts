import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TOFU_FIXTURE_BIN } from '../fixtures/tofu/tofu-fixture.js';

/**
 * A `tofu` for the api to run: a wrapper that starts the fixture with its control and log files.
 * The api passes tofu only the variables it chooses, so the fixture's knobs travel in the wrapper.
 */
export function fixtureTofuBin(): { bin: string; controlPath: string; logPath: string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'catalyst-tofu-bin-'));
  const controlPath = join(dir, 'control.json');
  const logPath = join(dir, 'invocations.jsonl');
  writeFileSync(controlPath, '{}');
  const bin = join(dir, 'tofu');
  writeFileSync(
    bin,
    `#!/bin/sh\nCATALYST_TOFU_FIXTURE_CONTROL='${controlPath}' CATALYST_TOFU_FIXTURE_LOG='${logPath}' exec '${process.execPath}' '${TOFU_FIXTURE_BIN}' "$@"\n`,
  );
  chmodSync(bin, 0o755);
  return { bin, controlPath, logPath, dir };
}
