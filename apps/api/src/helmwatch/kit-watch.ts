import { type ComponentState, componentIdOf } from '@catalyst/contracts';
import type { Logger } from 'pino';
import { HelmReleaseWatcher } from './helmrelease.watcher.js';
import { deriveState } from './helmrelease-state.js';
import type { SovereignKube } from './kube.client.js';

export interface ComponentStatus {
  state: ComponentState;
  message?: string;
}

export interface KitWatchOptions {
  /** Component ids the kit must bring up (`bp-` stripped). */
  expected: string[];
  /** What was recorded before (a resumed watch emits only real changes). */
  known: Map<string, ComponentStatus>;
  firstSeenTimeoutMs: number;
  watchTimeoutMs: number;
  signal: AbortSignal;
  logger: Logger;
  onChange(component: string, status: ComponentStatus): Promise<void>;
}

/** Why the kit did not converge, in words for the operator. */
export class KitWatchFailed extends Error {}

/**
 * Follows the bootstrap kit until every expected component is installed (resolves) or every one
 * has stopped with at least one failed, or a timeout passes (rejects with a readable reason).
 */
export function watchKit(kube: SovereignKube, options: KitWatchOptions): Promise<void> {
  const { expected, known } = options;
  const seen = new Set<string>();
  let chain = Promise.resolve();

  return new Promise<void>((resolve, reject) => {
    let settled = false;
    // No verdict before the first full list: the recorded states may be older than the cluster's.
    let synced = false;
    const timers: NodeJS.Timeout[] = [];
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      watcher.stop();
      for (const timer of timers) clearTimeout(timer);
      // Changes already queued are stored before the phase ends.
      void chain.then(() => (error ? reject(error) : resolve()));
    };

    const evaluate = () => {
      if (!synced || settled) return;
      const states = expected.map((id) => known.get(id)?.state ?? 'pending');
      if (states.every((s) => s === 'installed')) return finish();
      if (states.every((s) => s === 'installed' || s === 'failed')) {
        const failed = expected.filter((id) => known.get(id)?.state === 'failed');
        finish(
          new KitWatchFailed(
            `Failed: ${failed.map((id) => `${id} (${known.get(id)?.message ?? 'no message'})`).join('; ')}`,
          ),
        );
      }
    };

    const record = (component: string, status: ComponentStatus) => {
      if (settled) return;
      const before = known.get(component);
      if (before?.state === status.state && before?.message === status.message) return;
      known.set(component, status);
      chain = chain
        .then(() => options.onChange(component, status))
        .catch((err) => {
          options.logger.error({ err, component }, 'could not record a component change');
        });
      evaluate();
    };

    const watcher = new HelmReleaseWatcher(
      kube,
      options.logger,
      (release) => {
        const component = componentIdOf(release.metadata.name);
        if (!expected.includes(component)) return;
        seen.add(component);
        record(component, deriveState(release));
      },
      (name) => {
        const component = componentIdOf(name);
        if (expected.includes(component))
          record(component, { state: 'pending', message: 'The HelmRelease was deleted' });
      },
      () => {
        synced = true;
        evaluate();
      },
    );

    timers.push(
      setTimeout(() => {
        if (seen.size === 0) {
          finish(
            new KitWatchFailed(
              `No bootstrap-kit HelmRelease appeared within ${Math.round(options.firstSeenTimeoutMs / 60_000)} min. ` +
                'Flux is not applying the kit: check that the GitRepository can fetch the repository and that the ' +
                'bootstrap-kit Kustomization reconciles (its Ready condition says why not).',
            ),
          );
        }
      }, options.firstSeenTimeoutMs),
      setTimeout(() => {
        const waiting = expected.filter((id) => known.get(id)?.state !== 'installed');
        finish(
          new KitWatchFailed(
            `The kit did not converge within ${Math.round(options.watchTimeoutMs / 60_000)} min: ` +
              waiting.map((id) => `${id} ${known.get(id)?.state ?? 'pending'}`).join(', '),
          ),
        );
      }, options.watchTimeoutMs),
    );
    options.signal.addEventListener('abort', () => finish(new KitWatchFailed('Stopped on request')), {
      once: true,
    });
    watcher.start();
  });
}
