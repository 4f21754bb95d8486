import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { PhaseFailed } from '../deployments.errors.js';
import { handoverKeyPairFor } from '../handover-link.js';
import { buildTfvars } from '../tfvars.js';
import { prepareTofuState, TofuRoleNotPermitted } from '../tofu-state-access.js';
import { stageWorkdir, writePluginMirrorConfig } from '../workdir.js';
import { issueKubeconfigTokens } from './kubeconfig-token.js';
import { moveRegion } from './regions.js';
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
    kubeconfigTokens: ctx.kubeconfigTokens,
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
  // The servers this apply creates carry the bearers in their user_data: they are valid from now.
  await issueKubeconfigTokens(ctx);
  // One apply builds every region; each region's row follows it, and a failure names the regions it hit.
  for (const region of ctx.regions) await moveRegion(ctx, region, 'infrastructure', 'running');
  try {
    await tofuCommand(ctx, 'tofu-apply', 'apply', [
      'apply',
      '-input=false',
      '-no-color',
      '-json',
      '-auto-approve',
      '-lock-timeout=10m',
      'tfplan',
    ]);
  } catch (error) {
    if (!(error instanceof PhaseFailed) || ctx.signal.aborted) throw error;
    throw await failRegions(ctx, error);
  }
}

/**
 * Every region's infrastructure fails with the apply: the regions its errors name with that error, the others as
 * stopped. Returns the phase's failure, naming those regions.
 */
async function failRegions(ctx: RunContext, error: PhaseFailed): Promise<PhaseFailed> {
  const named = error.regions.length ? error.regions : ctx.regions;
  for (const region of ctx.regions) {
    const why = named.includes(region)
      ? error.message
      : `The apply stopped before this region was complete: it failed in ${named.join(', ')}`;
    await moveRegion(ctx, region, 'infrastructure', 'failed', why);
  }
  if (ctx.regions.length === 1) return error;
  return new PhaseFailed(
    `${named.length > 1 ? 'regions' : 'region'} ${named.join(', ')}: ${error.message}`,
    named,
  );
}

/** What the module outputs per region (infra/hetzner/outputs.tf `regions`). */
const regionOutputsSchema = z.record(
  z.string(),
  z.looseObject({ control_plane_ip: z.string().min(1), load_balancer_ip: z.string().min(1) }),
);

/** Reads every region's addresses into its row, and the primary's into the deployment's result. */
export async function tofuOutput(ctx: RunContext): Promise<void> {
  await prepare(ctx, 'tofu-output');
  const chunks: string[] = [];
  await tofuCommand(ctx, 'tofu-output', 'output', ['output', '-json'], (line) => chunks.push(line));
  const outputs = JSON.parse(chunks.join('\n') || '{}') as Record<string, { value?: unknown }>;
  const parsed = regionOutputsSchema.safeParse(outputs.regions?.value ?? {});
  const built = parsed.success ? parsed.data : {};
  const missing = ctx.regions.filter((region) => !built[region]);
  if (missing.length) {
    for (const region of missing) {
      await moveRegion(
        ctx,
        region,
        'infrastructure',
        'failed',
        'tofu output has no addresses for this region',
      );
    }
    throw new PhaseFailed(
      `tofu output has no control plane or load balancer address for ${missing.join(', ')}: the module did not finish`,
      missing,
    );
  }
  for (const region of ctx.regions) {
    const { control_plane_ip: controlPlaneIp, load_balancer_ip: loadBalancerIp } = built[region] as {
      control_plane_ip: string;
      load_balancer_ip: string;
    };
    await ctx.writes.updateRegion(region, { controlPlaneIp, loadBalancerIp });
    await moveRegion(ctx, region, 'infrastructure', 'succeeded');
    await ctx.log(
      'tofu-output',
      `${ctx.regions.length > 1 ? `${region}: ` : ''}Control plane ${controlPlaneIp}, load balancer ${loadBalancerIp}`,
    );
  }
  const primary = built[ctx.regions[0] as string] as { control_plane_ip: string; load_balancer_ip: string };
  const result = {
    controlPlaneIP: primary.control_plane_ip,
    loadBalancerIP: primary.load_balancer_ip,
    consoleURL: `https://console.${ctx.fqdn}`,
  };
  await ctx.writes.update({ result });
  ctx.row.result = result;
}
