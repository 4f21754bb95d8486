import type { DeploymentEventInput } from '@catalyst/contracts';

export interface Diagnostic {
  severity: 'error' | 'warning';
  summary: string;
  detail?: string;
  address?: string;
}

interface TofuMessage {
  type?: string;
  '@level'?: string;
  '@message'?: string;
  change?: { resource?: { addr?: string }; action?: string };
  hook?: { resource?: { addr?: string }; action?: string; elapsed_seconds?: number };
  diagnostic?: Diagnostic;
}

const HOOK_STATUS: Record<string, 'started' | 'in-progress' | 'complete' | 'errored'> = {
  apply_start: 'started',
  apply_progress: 'in-progress',
  apply_complete: 'complete',
  apply_errored: 'errored',
};

/**
 * Turns one line of tofu's `-json` UI stream into stream events: per-resource progress for plan and
 * apply hooks, the human message as a log line for everything, and diagnostics for the caller.
 * Lines that are not JSON (tofu's human output) are passed through as log lines.
 */
export function parseTofuLine(
  phase: string,
  line: string,
  regions: readonly string[] = [],
): { events: DeploymentEventInput[]; diagnostic?: Diagnostic } {
  let message: TofuMessage;
  try {
    message = JSON.parse(line) as TofuMessage;
    if (typeof message !== 'object' || message === null) throw new Error('not an object');
  } catch {
    return { events: [{ type: 'log', phase, stream: 'stdout', line }] };
  }
  const events: DeploymentEventInput[] = [];
  const text = message['@message'];
  const stream = message['@level'] === 'error' ? 'stderr' : 'stdout';
  if (text) events.push({ type: 'log', phase, stream, line: text });

  if (message.type === 'planned_change' && message.change?.resource?.addr) {
    const address = message.change.resource.addr;
    events.push({
      type: 'resource',
      phase,
      address,
      action: message.change.action ?? 'unknown',
      status: 'planned',
      ...regionField(address, regions),
    });
  }
  const hookStatus = message.type ? HOOK_STATUS[message.type] : undefined;
  if (hookStatus && message.hook?.resource?.addr) {
    events.push({
      type: 'resource',
      phase,
      address: message.hook.resource.addr,
      action: message.hook.action ?? 'unknown',
      status: hookStatus,
      ...regionField(message.hook.resource.addr, regions),
      ...(message.hook.elapsed_seconds !== undefined
        ? { elapsedMs: Math.round(message.hook.elapsed_seconds * 1000) }
        : {}),
    });
  }
  if (message.type === 'diagnostic' && message.diagnostic) {
    const { severity, summary, detail, address } = message.diagnostic;
    if (detail)
      events.push({ type: 'log', phase, stream: severity === 'error' ? 'stderr' : 'stdout', line: detail });
    return { events, diagnostic: { severity, summary, detail, address } };
  }
  return { events };
}

/**
 * The region a resource address belongs to: infra/hetzner keys every per-region resource by its region
 * (`hcloud_network.main["fsn1"]`) and every per-node one by `<region>/<node>` (`hcloud_server.worker["nbg1/w2"]`).
 * Undefined for shared resources (the SSH key, the mesh's CA) and for keys that are not one of `regions`.
 */
export function regionOfAddress(address: string, regions: readonly string[]): string | undefined {
  const key = /\["([^"/\]]+)(?:\/[^"\]]*)?"\]$/.exec(address)?.[1];
  return key !== undefined && regions.includes(key) ? key : undefined;
}

function regionField(address: string, regions: readonly string[]): { region?: string } {
  const region = regionOfAddress(address, regions);
  return region ? { region } : {};
}

/** A readable error from tofu's error diagnostics (or its exit code when it said nothing). */
export function describeFailure(
  command: string,
  diagnostics: Diagnostic[],
  exitCode: number | undefined,
): string {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (!errors.length) return `tofu ${command} exited with code ${exitCode ?? 'unknown'}`;
  return errors
    .map(
      (d) =>
        `${d.address ? `${d.address}: ` : ''}${d.summary}${d.detail ? ` — ${d.detail.split('\n')[0]}` : ''}`,
    )
    .join('; ');
}
