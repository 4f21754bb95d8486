import { describe, expect, it } from 'vitest';
import { CoalescedReads } from './deployment-snapshot.query.js';

/** Loads the test settles by hand, numbered in the order they started. */
function manualLoads() {
  const started: { key: string; resolve: (value: string) => void; reject: (error: Error) => void }[] = [];
  const load = (key: string) => () =>
    new Promise<string>((resolve, reject) => {
      started.push({ key, resolve, reject });
    });
  return { started, load };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('CoalescedReads', () => {
  it('answers the requests that arrive during a read from one read started after it, never from the one running', async () => {
    const reads = new CoalescedReads<string>();
    const { started, load } = manualLoads();
    const first = reads.read('d1', load('d1'));
    const waiting = [
      reads.read('d1', load('d1')),
      reads.read('d1', load('d1')),
      reads.read('d1', load('d1')),
    ];
    expect(started).toHaveLength(1);

    started[0]?.resolve('before');
    expect(await first).toBe('before');
    await tick();
    // The waiting requests arrived after the first read began: they get a read of their own, one for all.
    expect(started).toHaveLength(2);
    started[1]?.resolve('after');
    expect(await Promise.all(waiting)).toEqual(['after', 'after', 'after']);
    expect(reads.size).toBe(0);

    const later = reads.read('d1', load('d1'));
    expect(started).toHaveLength(3);
    started[2]?.resolve('later');
    expect(await later).toBe('later');
  });

  it("does not hand a failed read's error to the requests waiting behind it", async () => {
    const reads = new CoalescedReads<string>();
    const { started, load } = manualLoads();
    const first = reads.read('d1', load('d1'));
    const second = reads.read('d1', load('d1'));
    started[0]?.reject(new Error('connection lost'));
    await expect(first).rejects.toThrow('connection lost');
    await tick();
    started[1]?.resolve('fine');
    expect(await second).toBe('fine');
    expect(reads.size).toBe(0);
  });

  it('reads different keys independently', async () => {
    const reads = new CoalescedReads<string>();
    const { started, load } = manualLoads();
    const a = reads.read('d1', load('d1'));
    const b = reads.read('d2', load('d2'));
    expect(started.map((s) => s.key)).toEqual(['d1', 'd2']);
    started[1]?.resolve('two');
    started[0]?.resolve('one');
    expect(await Promise.all([a, b])).toEqual(['one', 'two']);
  });
});
