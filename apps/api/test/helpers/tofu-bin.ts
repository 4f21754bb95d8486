import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TOFU_FIXTURE_BIN } from '../fixtures/tofu/tofu-fixture.js';

/**
 * A `tofu` for the api to run: a wrapper that starts the fixture with its control and log files.
 * The api passes tofu only the variables it chooses, so the fixture's knobs travel in the wrapper.
 * `publicIpv4`: the address every created server and load balancer reports (e.g. 127.0.0.1, where a
 * test's kube-apiserver emulator listens, so the api accepts a kubeconfig pointing there), or one per region
 * (`{ fsn1: '127.0.0.2', nbg1: '127.0.0.3' }`: each region's emulator at its own address).
 */
export function fixtureTofuBin(options: { publicIpv4?: string | Record<string, string> } = {}): {
  bin: string;
  controlPath: string;
  logPath: string;
  dir: string;
} {
  const dir = mkdtempSync(join(tmpdir(), 'catalyst-tofu-bin-'));
  const controlPath = join(dir, 'control.json');
  const logPath = join(dir, 'invocations.jsonl');
  writeFileSync(controlPath, '{}');
  const bin = join(dir, 'tofu');
  const addresses =
    typeof options.publicIpv4 === 'object'
      ? Object.entries(options.publicIpv4)
          .map(([region, ip]) => `${region}=${ip}`)
          .join(',')
      : options.publicIpv4;
  const publicIp = addresses ? `CATALYST_TOFU_FIXTURE_PUBLIC_IPV4='${addresses}' ` : '';
  writeFileSync(
    bin,
    `#!/bin/sh\n${publicIp}CATALYST_TOFU_FIXTURE_CONTROL='${controlPath}' CATALYST_TOFU_FIXTURE_LOG='${logPath}' exec '${process.execPath}' '${TOFU_FIXTURE_BIN}' "$@"\n`,
  );
  chmodSync(bin, 0o755);
  return { bin, controlPath, logPath, dir };
}
