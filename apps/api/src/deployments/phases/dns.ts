import { PhaseFailed } from '../deployments.errors.js';
import type { RunContext } from './run-context.js';

/** Publishes the Sovereign's zone at its load balancer; for byo-manual, waits for the delegation. */
export async function dns(ctx: RunContext): Promise<void> {
  const { repo, sealer, domains, config } = ctx.deps;
  // Every region's load balancer, in the request's order: one region is a plain zone, more fail over between them.
  const regions = await repo.regions(ctx.row.id);
  const targets = regions.flatMap((r) =>
    r.loadBalancerIp ? [{ region: r.region, loadBalancerIP: r.loadBalancerIp }] : [],
  );
  if (targets.length < regions.length) {
    throw new PhaseFailed('No load balancer address for every region yet: run tofu-output first');
  }
  const { domain } = ctx.request;
  const access =
    domain.mode === 'byo-api' && ctx.row.sealedRegistrarCredentials
      ? {
          registrar: domain.registrar,
          credentials: JSON.parse(sealer.unseal(ctx.row.sealedRegistrarCredentials, ctx.row.id)),
        }
      : undefined;
  const log = (line: string) => ctx.log('dns', line);
  const reservationId = await currentReservation(ctx);
  await log(`Publishing ${ctx.fqdn} → ${targets.map((t) => t.loadBalancerIP).join(', ')} (${domain.mode})`);
  await ctx.writes.assertHeld();
  await domains.commit(reservationId, targets, access);
  await log(`Zone ${ctx.fqdn} published with its records and DNSSEC`);
  if (domain.mode !== 'byo-manual') return;
  const { nameservers, delegationTimeoutSeconds, delegationPollSeconds } = config.domains;
  await log(`Waiting for ${ctx.fqdn} to be delegated to ${nameservers.join(', ')} at your registrar`);
  let lastSeen = '';
  await domains.delegation.waitFor(ctx.fqdn, {
    timeoutSeconds: delegationTimeoutSeconds,
    pollSeconds: delegationPollSeconds,
    signal: ctx.signal,
    onProgress: (status) => {
      const seen = status.found.join(', ') || 'no NS records yet';
      if (seen !== lastSeen) {
        lastSeen = seen;
        // A refused write (lease lost) has already stopped the run; it must not surface as an unhandled rejection.
        void log(status.delegated ? `Delegation visible: ${seen}` : `Resolver sees ${seen}`).catch(
          () => undefined,
        );
      }
    },
  });
}

/** The run's reservation; taken anew if it lapsed (a deployment can outlive a reservation's TTL). */
async function currentReservation(ctx: RunContext): Promise<string> {
  const { repo, domains } = ctx.deps;
  const row = await repo.get(ctx.row.id);
  const live = await domains.findLive(ctx.fqdn);
  if (row?.reservationId && live?.id === row.reservationId) return row.reservationId;
  const { domain } = ctx.request;
  await ctx.writes.assertHeld();
  const reservation =
    domain.mode === 'pool'
      ? await domains.reservePool(domain.poolDomain, domain.subdomain)
      : await domains.reserveOwn(domain.domain, domain.mode);
  await ctx.writes.update({ reservationId: reservation.reservationId });
  return reservation.reservationId;
}
