import { BOOTSTRAP_KIT_NAMESPACE, bootstrapKitReleases } from '@catalyst/contracts';
import type { KubeApiServerEmulator } from '../fixtures/kube/kube-apiserver.emulator.js';

export const KIT_NAMESPACE = BOOTSTRAP_KIT_NAMESPACE;

/** Every bootstrap-kit HelmRelease present and Ready, as on a Sovereign whose kit converged. */
export function convergedKit(
  emulator: KubeApiServerEmulator,
  ids: readonly string[] = bootstrapKitReleases.map((r) => r.id),
) {
  for (const id of ids) {
    emulator.upsert(KIT_NAMESPACE, `bp-${id}`, {});
    emulator.ready(KIT_NAMESPACE, `bp-${id}`);
  }
}
