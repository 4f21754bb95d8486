import { type DeploymentStatus, deploymentEventSchema } from '@catalyst/contracts';
import { useReducer } from 'react';
import { useEventStream } from '../../lib/useEventStream';
import { logsUrl } from './api';
import { applyEvent, emptyStream, isTerminal } from './provisionModel';

const EVENT_TYPES = ['phase', 'log', 'resource', 'component', 'deployment'] as const;

/**
 * The run as its event stream tells it. `onChange` is called for every phase or status change
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
  const { connected } = useEventStream({
    url: logsUrl(id),
    types: EVENT_TYPES,
    schema: deploymentEventSchema,
    onEvent: (event) => {
      apply(event);
      if (event.type === 'phase' || event.type === 'deployment') onChange();
    },
    // A stopped run's last status: nothing more comes, so the browser must not reconnect for ever.
    isFinal: (event) => event.type === 'deployment' && isTerminal(event.status),
    stopped: isTerminal(knownStatus),
    restartKey: generation,
  });
  return { stream, connected };
}
