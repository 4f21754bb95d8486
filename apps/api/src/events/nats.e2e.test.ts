import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/helpers/database.js';
import { recordEvents } from '../../test/helpers/events.js';
import { eventually } from '../../test/helpers/eventually.js';
import { NatsServer } from '../../test/helpers/nats-server.js';
import { startTestApp, type TestApp } from '../../test/helpers/test-app.js';

const STREAM = 'CATALYST';

function record(t: TestApp, count: number, tag: string): Promise<string[]> {
  return recordEvents(t, 'catalyst.tenant.created', count, (i) => ({
    orgId: `${tag}-${i}`,
    slug: 's',
    name: 'n',
    ownerUserId: 'u',
  }));
}

/** Every message in the stream: its JetStream message id (Nats-Msg-Id) and subject. */
async function streamMessages(nc: NatsConnection): Promise<{ msgId: string; subject: string; id: string }[]> {
  const jsm = await jetstreamManager(nc);
  const info = await jsm.streams.info(STREAM).catch(() => undefined);
  if (!info) return [];
  const out = [];
  for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
    const msg = await jsm.streams.getMessage(STREAM, { seq });
    if (!msg) continue;
    out.push({
      msgId: msg.header.get('Nats-Msg-Id'),
      subject: msg.subject,
      id: (msg.json() as { id: string }).id,
    });
  }
  return out;
}

async function unpublished(databaseUrl: string): Promise<number> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  const { rows } = await db.query('select count(*)::int as n from event_outbox where published_at is null');
  await db.end();
  return rows[0].n;
}

describe('events relayed to NATS JetStream', () => {
  let nats: NatsServer;
  let t: TestApp;
  let replica: TestApp;
  let observer: NatsConnection;

  beforeAll(async () => {
    nats = new NatsServer();
    const url = await nats.start();
    t = await startTestApp({ env: { NATS_URL: url } });
    replica = await startTestApp({ env: { NATS_URL: url }, databaseUrl: t.databaseUrl });
    observer = await connect({ servers: url, maxReconnectAttempts: -1, reconnectTimeWait: 200 });
  });
  afterAll(async () => {
    await observer.close();
    await replica.close();
    await t.close();
    await nats.destroy();
  });

  it('publishes each event once, on its own subject, with the outbox id as message id', async () => {
    const ids = await record(t, 5, 'first');
    await eventually('5 messages in the stream', async () => (await streamMessages(observer)).length >= 5);
    const messages = await streamMessages(observer);
    expect(messages.map((m) => m.msgId).sort()).toEqual([...ids].sort());
    expect(messages.every((m) => m.subject === 'catalyst.tenant.created' && m.id === m.msgId)).toBe(true);
  });

  it('loses nothing while NATS is down and publishes nothing twice once it is back', async () => {
    const before = (await streamMessages(observer)).length;
    await nats.stop();
    const whileDown = [...(await record(t, 10, 'down-a')), ...(await record(replica, 10, 'down-b'))];
    // Give the relays time to try (and fail) while the server is gone.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await unpublished(t.databaseUrl)).toBe(20);

    await nats.start();
    const afterRestart = await record(t, 5, 'after');
    await eventually('every event published', async () => (await unpublished(t.databaseUrl)) === 0, 45_000);
    await eventually('the observer reconnected', () => !observer.isClosed() && observer.info !== undefined);
    const messages = await streamMessages(observer);
    const msgIds = messages.map((m) => m.msgId);
    expect(messages.length).toBe(before + 25);
    expect(new Set(msgIds).size).toBe(msgIds.length);
    for (const id of [...whileDown, ...afterRestart]) expect(msgIds).toContain(id);
  });
});

describe('NATS not yet up when the api starts', () => {
  it('keeps events in the outbox and publishes them when the server appears', async () => {
    const nats = new NatsServer();
    const url = await nats.reservePort();
    const database = await createTestDatabase();
    const t = await startTestApp({ env: { NATS_URL: url }, databaseUrl: database.url });
    try {
      const ids = await record(t, 3, 'early');
      expect(await unpublished(database.url)).toBe(3);
      await nats.start();
      await eventually(
        'the early events published',
        async () => (await unpublished(database.url)) === 0,
        45_000,
      );
      const observer = await connect({ servers: url });
      const messages = await streamMessages(observer);
      await observer.close();
      expect(messages.map((m) => m.msgId).sort()).toEqual([...ids].sort());
    } finally {
      await t.close();
      await database.drop();
      await nats.destroy();
    }
  });
});
