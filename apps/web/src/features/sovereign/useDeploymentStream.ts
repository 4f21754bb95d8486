import { type DeploymentEvent, type DeploymentStatus, deploymentEventSchema } from '@catalyst/contracts';
import { useReducer } from 'react';
import { useEventStream } from '../../lib/useEventStream';
import { logsUrl } from './api';
import { applyEvent, emptyStream, isTerminal } from './provisionModel';

const EVENT_TYPES = ['phase', 'log', 'resource', 'component', 'region', 'deployment'] as const;

/**
 * Follows one deployment's events (GET /api/v1/deployments/:id/logs), each parsed with its contract.
 * The stream ends after a stopped run's last status, and does not reconnect for ever once the run
 * is known to have stopped; a new `restartKey` follows it again from the last event seen.
 */
export function useDeploymentEvents(
  id: string,
  {
    types,
    onEvent,
    knownStatus,
    restartKey,
  }: {
    types: readonly DeploymentEvent['type'][];
    onEvent: (event: DeploymentEvent) => void;
    knownStatus: DeploymentStatus | undefined;
    restartKey?: unknown;
  },
) {
  return useEventStream({
    url: logsUrl(id),
    types,
    schema: deploymentEventSchema,
    onEvent,
    isFinal: (event) => event.type === 'deployment' && isTerminal(event.status),
    stopped: isTerminal(knownStatus),
    restartKey,
  });
}

/**
 * The run as its event stream tells it. `onChange` is called for every phase (the run's or a region's) or status change
 * (the page re-reads the deployment then); a new `generation` (after a retry or wipe of a stopped
 * run) follows the stream again from the last event seen.
 */
export function useDeploymentStream(
  id: string,
  generation: number,
  onChange: () => void,
  knownStatus: DeploymentStatus | undefined,
) {
  const [stream, apply] = useReducer(applyEvent, undefined, emptyStream);
  const { connected } = useDeploymentEvents(id, {
    types: EVENT_TYPES,
    onEvent: (event) => {
      apply(event);
      // A region's phase moving may bring its addresses (the snapshot has them).
      if (event.type === 'phase' || event.type === 'region' || event.type === 'deployment') onChange();
    },
    knownStatus,
    restartKey: generation,
  });
  return { stream, connected };
}
