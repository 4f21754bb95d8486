import { rmSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PDNS_TEST_API_KEY, PowerDnsServer } from '../../test/fixtures/powerdns/powerdns-server.js';
import { readInvocations, writeTofuControl } from '../../test/fixtures/tofu/tofu-fixture.js';
import { eventually } from '../../test/helpers/eventually.js';
import { startHetzner } from '../../test/helpers/hetzner.js';
import { provisionRequest } from '../../test/helpers/provision-request.js';
import { startTestApp } from '../../test/helpers/test-app.js';
import { fixtureTofuBin } from '../../test/helpers/tofu-bin.js';
import { DeploymentsRepository, type EventRow } from './deployments.repository.js';
import { DeploymentsService } from './deployments.service.js';
import { IngestBacklog } from './ingest-backlog.js';
import { RunScheduler } from './run.scheduler.js';
import { FencedRunWrites, LEASE_LOST, LeaseLostError, RunLease } from './run-lease.js';
import { IllegalTransition, transition } from './run-state.js';

/*
 * Run leases as fences (issue 11): a replica that no longer holds a run's lease writes nothing and
 * stops its tofu; a cancel reaches the run through the scheduler's pass even without its NOTIFY.
 * Each test runs its own api on its own database; "another replica" is the lease row changed by hand.
 */

let pdns: PowerDnsServer;
let hetzner: Awaited<ReturnType<typeof startHetzner>>;
const user = {
  userId: null as never,
  email: 'ops@catalyst.test',
  roles: ['superadmin' as const],
  sessionId: 'x',
};
/** The resource at which the fixture's apply blocks until tofu is interrupted. */
const HANG_AT = 'hcloud_server.worker["fsn1/w1"]';

beforeAll(async () => {
  pdns = new PowerDnsServer();
  await pdns.start();
  hetzner = await startHetzner();
});
afterAll(async () => {
  await pdns.stop();
  await hetzner.stop();
});

async function runApp(env: Record<string, string>) {
  const tofu = fixtureTofuBin();
  const t = await startTestApp({
    env: {
      PDNS_API_URL: pdns.apiUrl,
      PDNS_API_KEY: PDNS_TEST_API_KEY,
      CATALYST_TOFU_BIN: tofu.bin,
      CATALYST_TOFU_WORKDIR: `${tofu.dir}/work`,
      HCLOUD_ENDPOINT: hetzner.baseUrl,
      CATALYST_CANCEL_GRACE: '5s',
      ...env,
    },
  });
  const db = new pg.Client({ connectionString: t.databaseUrl });
  await db.connect();
  const service = t.app.get(DeploymentsService);
  const repo = t.app.get(DeploymentsRepository);
  const scheduler = t.app.get(RunScheduler);
  const create = async (subdomain: string) => {
    const { id } = await service.create(
      provisionRequest({ domain: { mode: 'pool', poolDomain: 'omani.works', subdomain } }),
      user,
    );
    await scheduler.tick();
    return id;
  };
  const events = (id: string): Promise<EventRow[]> => repo.eventsAfter(id, 0, 10_000);
  const row = async (id: string) =>
    (
      await db.query<{ status: string; lease_owner: string | null; event_seq: string }>(
        'select status, lease_owner, event_seq from deployments where id = $1',
        [id],
      )
    ).rows[0];
  const phaseStatus = async (id: string, name: string) =>
    (
      await db.query('select status from deployment_phases where deployment_id = $1 and name = $2', [
        id,
        name,
      ])
    ).rows[0]?.status;
  /** A run that failed in preflight, its lease then given to 'replica-a' (a writer the test drives by hand). */
  const heldFailedRun = async (subdomain: string) => {
    const id = await create(subdomain);
    await eventually('preflight to fail', async () => (await row(id))?.status === 'failed');
    await db.query(
      `update deployments set lease_owner = 'replica-a', lease_expires_at = now() + interval '10 minutes' where id = $1`,
      [id],
    );
    return id;
  };
  const applyExited = () =>
    readInvocations(tofu.logPath).some((run) => run.argv[0] === 'apply' && run.exit !== undefined);
  const close = async () => {
    vi.restoreAllMocks();
    writeTofuControl(tofu.controlPath, {});
    await db.end();
    await t.close();
    rmSync(tofu.dir, { recursive: true, force: true });
  };
  return {
    tofu,
    db,
    service,
    repo,
    scheduler,
    create,
    heldFailedRun,
    events,
    row,
    phaseStatus,
    applyExited,
    close,
  };
}

const isLine = (event: EventRow, text: string) =>
  String((event.payload as { line?: string }).line ?? '').includes(text);
const startedAt = (address: string) => (event: EventRow) =>
  event.type === 'resource' &&
  (event.payload as { address?: string; status?: string }).address === address &&
  (event.payload as { status?: string }).status === 'started';

describe('a run lease as a write fence', { timeout: 120_000 }, () => {
  it('refuses every write of a replica whose lease was taken over: nothing changes, no sequence number is used', async () => {
    const app = await runApp({ CATALYST_TOFU_BIN: '/nonexistent/tofu' });
    try {
      // A run that failed in preflight: no replica works on it, so the test moves its lease by hand.
      const id = await app.create('fenced');
      await eventually('preflight to fail', async () => (await app.row(id))?.status === 'failed');
      const hold = (owner: string, expires = "now() + interval '10 minutes'") =>
        app.db.query(`update deployments set lease_owner = $2, lease_expires_at = ${expires} where id = $1`, [
          id,
          owner,
        ]);
      const writesOf = (owner: string) => {
        const lease = new RunLease(id, owner);
        return { lease, writes: new FencedRunWrites(app.repo, lease) };
      };
      const line = { type: 'log', phase: 'tofu-apply', stream: 'stdout' } as const;
      await hold('replica-a');
      await writesOf('replica-a').writes.appendEvent({ ...line, line: 'written while holding the lease' });

      const snapshot = async () => ({
        row: (await app.db.query('select * from deployments where id = $1', [id])).rows[0],
        phases: (await app.db.query('select * from deployment_phases where deployment_id = $1', [id])).rows,
        components: (await app.db.query('select * from deployment_components where deployment_id = $1', [id]))
          .rows,
        events: await app.events(id),
      });
      await hold('replica-b');
      const before = await snapshot();
      const staleWrites: [string, (writes: FencedRunWrites) => Promise<unknown>][] = [
        ['appendEvent', (w) => w.appendEvent({ ...line, line: 'written after the takeover' })],
        ['update', (w) => w.update({ result: { stale: true } })],
        ['moveTo', (w) => w.moveTo('ready', { result: { stale: true } })],
        ['movePhase', (w) => w.movePhase('tofu-apply', 'succeeded')],
        ['setComponent', (w) => w.setComponent('fsn1', 'harbor', 'installed', null)],
        ['seedComponents', (w) => w.seedComponents('fsn1', ['harbor'])],
        ['updateRegion', (w) => w.updateRegion('fsn1', { kubeconfigStatus: 'running' })],
        ['assertHeld', (w) => w.assertHeld()],
      ];
      for (const [name, write] of staleWrites) {
        const { lease, writes } = writesOf('replica-a');
        await expect(write(writes), name).rejects.toBeInstanceOf(LeaseLostError);
        // The refusal stops the stale replica's run (its tofu gets SIGINT).
        expect(lease.signal.reason, name).toBe(LEASE_LOST);
      }
      expect(await snapshot()).toEqual(before);

      // The holder's next event takes the very next number: the refused appends left no gap.
      const seq = await writesOf('replica-b').writes.appendEvent({ ...line, line: 'the new owner' });
      expect(seq).toBe(Number(before.row.event_seq) + 1);
      expect((await app.events(id)).map((e) => e.seq)).toEqual(Array.from({ length: seq }, (_, i) => i + 1));

      // A lease that expired fences its own owner too (another replica may claim it any moment).
      await hold('replica-b', "now() - interval '1 second'");
      await expect(
        writesOf('replica-b').writes.appendEvent({ ...line, line: 'too late' }),
      ).rejects.toBeInstanceOf(LeaseLostError);
      expect(Number((await app.row(id))?.event_seq)).toBe(seq);
    } finally {
      await app.close();
    }
  });

  it('checks every status move against the row it locks: an illegal or stale move writes nothing', async () => {
    const app = await runApp({ CATALYST_TOFU_BIN: '/nonexistent/tofu' });
    try {
      const id = await app.heldFailedRun('moves');
      const writes = new FencedRunWrites(app.repo, new RunLease(id, 'replica-a'));
      const snapshot = async () => ({
        row: (await app.db.query('select * from deployments where id = $1', [id])).rows[0],
        phases: (await app.db.query('select * from deployment_phases where deployment_id = $1', [id])).rows,
      });
      const before = await snapshot();

      // failed → ready and a failed phase → succeeded are not moves of the state machine.
      await expect(writes.moveTo('ready', { result: { stale: true } })).rejects.toBeInstanceOf(
        IllegalTransition,
      );
      await expect(writes.movePhase('preflight', 'succeeded')).rejects.toBeInstanceOf(IllegalTransition);
      // A legal move computed from a status the row no longer has is refused by the repository.
      await expect(
        app.repo.db.transaction((tx) => app.repo.moveTo(tx, id, transition('running', 'ready'))),
      ).rejects.toThrow(/no longer running/);
      expect(await snapshot()).toEqual(before);

      // failed → queued is one (a retry): it is written.
      await writes.moveTo('queued');
      expect((await app.row(id))?.status).toBe('queued');
    } finally {
      await app.close();
    }
  });

  it('tells the ingest backlog of a burst (events queued behind a write in flight) until every event is stored', async () => {
    const app = await runApp({ CATALYST_TOFU_BIN: '/nonexistent/tofu' });
    try {
      const id = await app.heldFailedRun('burst');
      const backlog = new IngestBacklog({ quietMs: 0, maxWaitMs: 60_000 });
      const writes = new FencedRunWrites(app.repo, new RunLease(id, 'replica-a'), backlog);
      const line = (n: number) =>
        ({ type: 'log', phase: 'tofu-apply', stream: 'stdout', line: `l${n}` }) as const;

      // One event at a time is no burst: nothing was waiting behind a write.
      await writes.appendEvent(line(1));
      await writes.eventsStored();
      expect(backlog.inBurst).toBe(false);

      // Three at once: the first is written while the other two wait for it.
      const stored = [2, 3, 4].map((n) => writes.appendEvent(line(n)));
      expect(backlog.inBurst).toBe(true);
      await stored[0];
      expect(backlog.inBurst).toBe(true);
      await Promise.all(stored);
      await writes.eventsStored();
      expect(backlog.inBurst).toBe(false);
      expect((await app.events(id)).slice(-4).map((e) => (e.payload as { line?: string }).line)).toEqual([
        'l1',
        'l2',
        'l3',
        'l4',
      ]);
    } finally {
      await app.close();
    }
  });

  it('stops the tofu of a replica whose lease was taken over mid-apply, and appends nothing more', async () => {
    // A lease TTL of 10 minutes: the scheduler's own pass does not come round during the test, so it
    // is the refused writes that stop the run.
    const app = await runApp({ CATALYST_RUN_LEASE_TTL: '10m' });
    try {
      writeTofuControl(app.tofu.controlPath, {
        resourceDelayMs: 300,
        progressIntervalMs: 50,
        hangAt: HANG_AT,
        hangLimitMs: 600_000,
      });
      const id = await app.create('stolen');
      await eventually('the apply to create its first resource', async () =>
        (await app.events(id)).some(
          (e) =>
            e.type === 'resource' &&
            (e.payload as { phase?: string }).phase === 'tofu-apply' &&
            (e.payload as { status?: string }).status === 'started',
        ),
      );

      const stolen = await app.db.query<{ event_seq: string }>(
        `update deployments set lease_owner = 'replica-b', lease_expires_at = now() + interval '10 minutes'
         where id = $1 returning event_seq`,
        [id],
      );
      const seqAtTakeover = Number(stolen.rows[0]?.event_seq);

      // Tofu was blocked at HANG_AT until interrupted: its exit is the stale replica stopping it.
      await eventually('the stale replica to stop its tofu', app.applyExited, 60_000);
      await eventually('the stale run to end', () => !app.scheduler.isRunning(id));

      const events = await app.events(id);
      expect(events.at(-1)?.seq).toBe(seqAtTakeover);
      expect(events.some((e) => isLine(e, 'Interrupt received'))).toBe(false);
      expect(await app.row(id)).toEqual({
        status: 'running',
        lease_owner: 'replica-b',
        event_seq: String(seqAtTakeover),
      });
      // Still the new owner's to finish: the stale replica recorded no outcome.
      expect(await app.phaseStatus(id, 'tofu-apply')).toBe('running');
    } finally {
      await app.close();
    }
  });

  it('stops its tofu and writes nothing more when it cannot renew its lease for half the TTL', async () => {
    const app = await runApp({ CATALYST_RUN_LEASE_TTL: '2s' });
    try {
      writeTofuControl(app.tofu.controlPath, { resourceDelayMs: 5, hangAt: HANG_AT, hangLimitMs: 600_000 });
      const id = await app.create('unrenewed');
      await eventually('the apply to block', async () => (await app.events(id)).some(startedAt(HANG_AT)));

      // The renewal query fails from now on (the database unreachable from this replica, say).
      vi.spyOn(app.repo, 'renew').mockRejectedValue(new Error('connect ECONNREFUSED'));
      await eventually('the replica to stop its tofu', app.applyExited, 60_000);

      // Tofu answered the interrupt with lines of its own; none of them reached the stream.
      const events = await app.events(id);
      expect(events.some((e) => isLine(e, 'Interrupt received'))).toBe(false);
      // Nor did an outcome: the phase is left for whoever holds the lease next.
      expect(
        events.filter((e) => e.type === 'phase').map((e) => (e.payload as { status?: string }).status),
      ).not.toContain('failed');
      expect(
        events.filter((e) => e.type === 'deployment').map((e) => (e.payload as { status?: string }).status),
      ).toEqual(['queued', 'running']);
      expect((await app.row(id))?.status).toBe('running');
    } finally {
      await app.close();
    }
  });
});

describe('cancel', { timeout: 120_000 }, () => {
  it('reaches a running run through the scheduler pass when its NOTIFY never arrives', async () => {
    const app = await runApp({ CATALYST_RUN_LEASE_TTL: '3s' });
    try {
      writeTofuControl(app.tofu.controlPath, { resourceDelayMs: 5, hangAt: HANG_AT, hangLimitMs: 600_000 });
      const id = await app.create('unnotified');
      await eventually('the apply to block', async () => (await app.events(id)).some(startedAt(HANG_AT)));

      // The cancel flag written without its NOTIFY (lost while the listener reconnected, say).
      await app.db.query('update deployments set cancel_requested_at = now() where id = $1', [id]);
      await app.scheduler.tick();
      await eventually(
        'the run to be cancelled',
        async () => (await app.row(id))?.status === 'cancelled',
        60_000,
      );
      expect(app.applyExited()).toBe(true);
      expect(await app.phaseStatus(id, 'tofu-apply')).toBe('failed');
    } finally {
      await app.close();
    }
  });
});
