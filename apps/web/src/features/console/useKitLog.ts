import { type DeploymentStatus, terminalStatuses } from '@catalyst/contracts';
import { useEffect, useReducer, useRef, useState } from 'react';
import { parseEvent } from '../sovereign/provisionModel';
import { deploymentLogsUrl } from './api';
import { applyKitEvent, emptyKitLog, type KitLogState } from './model';

const EVENT_TYPES = ['component', 'log', 'deployment'] as const;

type Action = { type: 'event'; event: Parameters<typeof applyKitEvent>[1] } | { type: 'reset' };

function reducer(state: KitLogState, action: Action): KitLogState {
  return action.type === 'reset' ? emptyKitLog() : applyKitEvent(state, action.event);
}

const isTerminal = (status: DeploymentStatus | undefined) =>
  status !== undefined && terminalStatuses.includes(status);

/**
 * Reads the deployment's events (the stored ones first, then live ones) from
 * GET /api/v1/deployments/:id/logs and keeps the bootstrap-kit ones. The stream ends by itself
 * after the final event of a stopped run; it is not reopened then.
 */
export function useKitLog(id: string | undefined, knownStatus: DeploymentStatus | undefined) {
  const [state, dispatch] = useReducer(reducer, undefined, emptyKitLog);
  const [live, setLive] = useState(false);
  const [ended, setEnded] = useState(false);
  const statusRef = useRef(knownStatus);
  statusRef.current = knownStatus;

  useEffect(() => {
    dispatch({ type: 'reset' });
    setEnded(false);
    if (!id || typeof EventSource === 'undefined') return;
    const source = new EventSource(deploymentLogsUrl(id), { withCredentials: true });
    source.onopen = () => setLive(true);
    source.onerror = () => {
      setLive(false);
      if (isTerminal(statusRef.current)) {
        source.close();
        setEnded(true);
      }
    };
    for (const type of EVENT_TYPES) {
      source.addEventListener(type, (message) => {
        const event = parseEvent(type, (message as MessageEvent<string>).data);
        if (!event) return;
        dispatch({ type: 'event', event });
        if (event.type === 'deployment' && isTerminal(event.status)) {
          source.close();
          setLive(false);
          setEnded(true);
        }
      });
    }
    return () => source.close();
  }, [id]);

  return { log: state, live, ended };
}
