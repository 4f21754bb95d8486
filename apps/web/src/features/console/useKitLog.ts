import type { DeploymentEvent, DeploymentStatus } from '@catalyst/contracts';
import { useEffect, useReducer } from 'react';
import { useDeploymentEvents } from '../sovereign/useDeploymentStream';
import { applyKitEvent, emptyKitLog, type KitLogState } from './model';

const EVENT_TYPES = ['component', 'log', 'deployment'] as const;

type Action = { type: 'event'; event: DeploymentEvent } | { type: 'reset' };

function reducer(state: KitLogState, action: Action): KitLogState {
  return action.type === 'reset' ? emptyKitLog() : applyKitEvent(state, action.event);
}

/**
 * Reads the deployment's events (the stored ones first, then live ones) and keeps the bootstrap-kit
 * ones. The stream ends by itself after the final event of a stopped run; it is not reopened then.
 */
export function useKitLog(id: string, knownStatus: DeploymentStatus | undefined) {
  const [state, dispatch] = useReducer(reducer, undefined, emptyKitLog);
  // Another deployment's log starts from nothing (declared before the stream, so it runs first).
  useEffect(() => {
    void id;
    dispatch({ type: 'reset' });
  }, [id]);
  const { ended } = useDeploymentEvents(id, {
    types: EVENT_TYPES,
    onEvent: (event) => dispatch({ type: 'event', event }),
    knownStatus,
  });
  return { log: state, ended };
}
