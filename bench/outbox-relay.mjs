// Measures how fast the outbox relay hands events to in-process listeners (and NATS if NATS_URL is set).
// Usage: npm run build && node bench/outbox-relay.mjs [events=5000] (200 in the smoke run of npm test)
// Uses DATABASE_URL when set, otherwise a throw-away embedded PostgreSQL. Prints figures; asserts nothing.
import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { createApp } from '../apps/api/dist/bootstrap.js';
import { createLogger } from '../apps/api/dist/common/logger.js';
import { loadConfig } from '../apps/api/dist/config/config.js';
import { DATABASE } from '../apps/api/dist/database/database.js';
import { EventsService } from '../apps/api/dist/events/events.service.js';
import { OutboxRelay } from '../apps/api/dist/events/outbox.relay.js';
import { prepareRuntime } from '../apps/api/dist/runtime.js';

const total = Number(process.argv[2] ?? (process.env.BENCH_SMOKE === '1' ? 200 : 5000));
const dataDir = mkdtempSync(join(tmpdir(), 'catalyst-bench-'));
const config = loadConfig({ ...process.env, CATALYST_DATA_DIR: dataDir, LOG_LEVEL: 'error' });
const runtime = await prepareRuntime(config, createLogger('error'));
const app = await createApp(runtime, { webDir: '/nonexistent' });
try {
  const events = app.get(EventsService);
  const relay = app.get(OutboxRelay);
  const { db } = app.get(DATABASE);
  let delivered = 0;
  app.get(EventEmitter2).on('catalyst.order.placed', () => {
    delivered++;
  });

  const start = performance.now();
  for (let done = 0; done < total; done += 100) {
    await db.transaction(async (tx) => {
      for (let i = 0; i < Math.min(100, total - done); i++) {
        await events.record(tx, 'catalyst.order.placed', {
          orderId: `o${done + i}`,
          userId: 'u',
          planId: 'p',
          totalBaisa: 0,
        });
      }
    });
  }
  const recordMs = performance.now() - start;
  // The relay runs while events are recorded (NOTIFY wakes it); wait for the last delivery.
  while (delivered < total) await relay.flush();
  const endToEndMs = performance.now() - start;

  console.log(`events                 ${total}`);
  console.log(
    `record (100 per tx)    ${recordMs.toFixed(0)} ms  ${((total / recordMs) * 1000).toFixed(0)} events/s`,
  );
  console.log(
    `recorded → delivered   ${endToEndMs.toFixed(0)} ms  ${((total / endToEndMs) * 1000).toFixed(0)} events/s`,
  );
  console.log(`nats                   ${config.natsUrl ? 'enabled' : 'not configured'}`);
} finally {
  await app.close();
  await runtime.close();
  rmSync(dataDir, { recursive: true, force: true });
}
