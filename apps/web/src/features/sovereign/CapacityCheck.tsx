import { findRegion, installSet } from '@catalyst/contracts';
import {
  type CapacityCheck,
  formatGib,
  formatVcpu,
  installSetCapacity,
  type RegionCapacity,
  SYSTEM_HEADROOM,
} from './capacity';
import type { WizardState } from './store';

/** The wizard step where node sizes and worker counts are chosen. */
export const NODES_STEP = 2;

function whose(check: CapacityCheck, region: RegionCapacity, state: WizardState): string {
  if (check.regions.length === 1) return 'your nodes have';
  const draft = state.regions[region.index];
  const name = draft ? (findRegion(draft.provider, draft.cloudRegion)?.name ?? draft.cloudRegion) : '';
  return `your nodes in region ${region.index + 1}${name ? ` (${name})` : ''} have`;
}

/**
 * The selected set's requested CPU and memory against the chosen nodes: a warning, with the way back to the node
 * sizes, when they do not fit (provisioning is not blocked), the same figures quietly when they do.
 */
export function CapacityNote({ state, onChooseNodes }: { state: WizardState; onChooseNodes: () => void }) {
  const check = installSetCapacity(installSet(state.components), state.regions, state.haEnabled);
  const region = check.tightest;
  if (!region) return null;
  const requested = `The selected components request ${formatVcpu(check.requested.cpuMillis)} vCPU and ${formatGib(
    check.requested.memoryMiB,
  )} GiB`;
  const have = `${whose(check, region, state)} ${formatVcpu(region.usableCpuMillis)} vCPU and ${formatGib(
    region.usableMemoryMiB,
  )} GiB`;
  const headroom = `${Math.round(SYSTEM_HEADROOM * 100)}% of each node is kept for the system${
    check.regions.length > 1 ? '; each region runs the whole set' : ''
  }.`;

  if (check.fits) {
    return (
      <p className="muted sov-small sov-capacity" data-testid="capacity-check" data-fits="true">
        {requested}; {have}. {headroom}
      </p>
    );
  }
  return (
    <div
      className="alert sov-capacity sov-capacity--warning"
      role="status"
      data-testid="capacity-check"
      data-fits="false"
    >
      <p data-testid="capacity-warning">
        {requested}; {have}. Choose larger or more nodes, or fewer components.
      </p>
      <p className="sov-small">{headroom}</p>
      <button
        type="button"
        className="button button--secondary button--small"
        data-testid="capacity-choose-nodes"
        onClick={onChooseNodes}
      >
        Choose nodes
      </button>
    </div>
  );
}
