import { fileURLToPath } from 'node:url';
import { PhaseFailed } from '../deployments.errors.js';
import { handoverKeyPairFor } from '../handover-link.js';
import { buildTfvars } from '../tfvars.js';
import { prepareTofuState, TofuRoleNotPermitted } from '../tofu-state-access.js';
import { stageWorkdir, writePluginMirrorConfig } from '../workdir.js';
import { issueKubeconfigToken } from './kubeconfig-token.js';
import type { RunContext } from './run-context.js';
import { tofuCommand } from './tofu-command.js';

/** The OpenTofu module in the repository (the same relative path from src/ and dist/). */
export const TOFU_MODULE_DIR = fileURLToPath(new URL('../../../../../infra/hetzner', import.meta.url));

/** Writes the workdir (module + tfvars) and makes sure the state schema and tofu's role exist. */
export async function stage(ctx: RunContext): Promise<void> {
  const { config, database } = ctx.deps;
  const { request } = ctx;
  const tfvars = buildTfvars({
    deploymentId: ctx.row.id,
    fqdn: ctx.fqdn,
    orgName: request.org.name,
    adminEmail: request.adminEmail,
    hetznerToken: ctx.hetznerToken ?? '',
    hetznerProjectId: request.credentials.hetznerProjectId,
    regions: request.topology.regions,
    haEnabled: request.topology.haEnabled,
    sshPublicKey: request.credentials.sshPublicKey,
    domainMode: request.domain.mode,
    kubeconfigToken: ctx.kubeconfigToken,
    apiUrl: config.publicUrl,
    gitopsRepoUrl: config.deployments.gitopsRepoUrl,
    gitopsBranch: config.deployments.gitopsBranch,
    components: ctx.row.installSet,
    handoverPublicKey: handoverKeyPairFor(ctx.deps.keys, ctx.row.id).publicKeyBase64,
  });
  await stageWorkdir(TOFU_MODULE_DIR, ctx.workdir, tfvars);
  const mirror = config.deployments.tofuPluginMirror;
  if (mirror) await writePluginMirrorConfig(ctx.workdir, mirror);
  await prepareTofuState(database.db, ctx.stateSchema, ctx.tofuRole).catch((error: unknown) => {
    throw error instanceof TofuRoleNotPermitted ? new PhaseFailed(error.message) : error;
  });
}

/** Stages the workdir and runs `tofu init`, whatever was done before (the wipe starts here). */
export async function prepareWorkdir(ctx: RunContext, phase: string): Promise<void> {
  await stage(ctx);
  await tofuCommand(ctx, phase, 'init', ['init', '-input=false', '-no-color']);
  ctx.prepared = true;
}

/** Stages the workdir and runs `tofu init` once per run (a resumed run may be on a new replica). */
async function prepare(ctx: RunContext, phase: string): Promise<void> {
  if (ctx.prepared) return;
  await prepareWorkdir(ctx, phase);
}

async function plan(ctx: RunContext, phase: string): Promise<void> {
  await prepare(ctx, phase);
  await tofuCommand(ctx, phase, 'plan', [
    'plan',
    '-input=false',
    '-no-color',
    '-out=tfplan',
    '-json',
    '-detailed-exitcode',
    '-lock-timeout=10m',
  ]);
  ctx.planned = true;
}

export function tofuInit(ctx: RunContext): Promise<void> {
  return prepare(ctx, 'tofu-init');
}

export function tofuPlan(ctx: RunContext): Promise<void> {
  return plan(ctx, 'tofu-plan');
}

export async function tofuApply(ctx: RunContext): Promise<void> {
  if (!ctx.planned) await plan(ctx, 'tofu-apply');
  await ctx.writes.update({ hasCloudResources: true });
  // The servers this apply creates carry the bearer in their user_data: it is valid from now.
  await issueKubeconfigToken(ctx);
  await tofuCommand(ctx, 'tofu-apply', 'apply', [
    'apply',
    '-input=false',
    '-no-color',
    '-json',
    '-auto-approve',
    '-lock-timeout=10m',
    'tfplan',
  ]);
}

/** Reads the addresses the module created into the deployment's result. */
export async function tofuOutput(ctx: RunContext): Promise<void> {
  await prepare(ctx, 'tofu-output');
  const chunks: string[] = [];
  await tofuCommand(ctx, 'tofu-output', 'output', ['output', '-json'], (line) => chunks.push(line));
  const outputs = JSON.parse(chunks.join('\n') || '{}') as Record<string, { value?: unknown }>;
  const controlPlaneIP = String(outputs.control_plane_ip?.value ?? '');
  const loadBalancerIP = String(outputs.load_balancer_ip?.value ?? '');
  if (!controlPlaneIP || !loadBalancerIP) {
    throw new PhaseFailed(
      'tofu output has no control_plane_ip or load_balancer_ip: the module did not finish',
    );
  }
  const result = { controlPlaneIP, loadBalancerIP, consoleURL: `https://console.${ctx.fqdn}` };
  await ctx.writes.update({ result });
  ctx.row.result = result;
  await ctx.log('tofu-output', `Control plane ${controlPlaneIP}, load balancer ${loadBalancerIP}`);
}
