import {
  type DeploymentEvent,
  type DeploymentStatus,
  deploymentEventSchema,
  terminalStatuses,
} from '@catalyst/contracts';
import { useEffect, useReducer } from 'react';
import { useEventStream } from '../../lib/useEventStream';
import { deploymentLogsUrl } from './api';
import { applyKitEvent, emptyKitLog, type KitLogState } from './model';

const EVENT_TYPES = ['component', 'log', 'deployment'] as const;

type Action = { type: 'event'; event: DeploymentEvent } | { type: 'reset' };

const isTerminal = (status: DeploymentStatus | undefined) =>
  status !== undefined && terminalStatuses.includes(status);

function reducer(state: KitLogState, action: Action): KitLogState {
  return action.type === 'reset' ? emptyKitLog() : applyKitEvent(state, action.event);
}

/**
 * Reads the deployment's events (the stored ones first, then live ones) from
 * GET /api/v1/deployments/:id/logs and keeps the bootstrap-kit ones. The stream ends by itself
 * after the final event of a stopped run; it is not reopened then.
 */
export function useKitLog(id: string | undefined, knownStatus: DeploymentStatus | undefined) {
  const [state, dispatch] = useReducer(reducer, undefined, emptyKitLog);
  // Another deployment's log starts from nothing (declared before the stream, so it runs first).
  useEffect(() => {
    void id;
    dispatch({ type: 'reset' });
  }, [id]);
  const { connected, ended } = useEventStream({
    url: id ? deploymentLogsUrl(id) : undefined,
    types: EVENT_TYPES,
    schema: deploymentEventSchema,
    onEvent: (event) => dispatch({ type: 'event', event }),
    isFinal: (event) => event.type === 'deployment' && isTerminal(event.status),
    stopped: isTerminal(knownStatus),
  });
  return { log: state, live: connected, ended };
}
