import { defaultSelection, installSet, installSetFootprint } from '@catalyst/contracts';
import { describe, expect, it } from 'vitest';
import { checkCapacity, formatGib, formatVcpu, installSetCapacity, SYSTEM_HEADROOM } from './capacity';

const region = (patch: Partial<Parameters<typeof checkCapacity>[1][number]> = {}) => ({
  provider: 'hetzner',
  cloudRegion: 'fsn1',
  controlPlaneSize: 'cpx32', // 4 vCPU, 8 GB
  workerSize: 'cpx42', // 8 vCPU, 16 GB
  workerCount: 0,
  ...patch,
});

describe('checkCapacity', () => {
  it('fits when the footprint is within the nodes less the system’s 10%', () => {
    // One cpx32: 4000m and 8192 MiB, of which 3600m and 7372 MiB are usable.
    const check = checkCapacity({ cpuMillis: 3600, memoryMiB: 7372 }, [region()], false);
    expect(SYSTEM_HEADROOM).toBe(0.1);
    expect(check.fits).toBe(true);
    expect(check.regions).toEqual([
      {
        index: 0,
        cloudRegion: 'fsn1',
        nodes: 1,
        cpuMillis: 4000,
        memoryMiB: 8192,
        usableCpuMillis: 3600,
        usableMemoryMiB: 7372,
        fits: true,
        unknownSizes: [],
      },
    ]);
    expect(check.tightest?.index).toBe(0);
  });

  it('exceeds when either CPU or memory is over what is usable, even under the raw node size', () => {
    // Under the node's 4 vCPU but over the 3.6 left once the system has its share.
    expect(checkCapacity({ cpuMillis: 3601, memoryMiB: 1024 }, [region()], false).fits).toBe(false);
    expect(checkCapacity({ cpuMillis: 100, memoryMiB: 7373 }, [region()], false).fits).toBe(false);
    expect(checkCapacity({ cpuMillis: 100, memoryMiB: 1024 }, [region()], false).fits).toBe(true);
  });

  it('counts the workers with the control plane', () => {
    const footprint = { cpuMillis: 10_000, memoryMiB: 20_000 };
    expect(checkCapacity(footprint, [region()], false).fits).toBe(false);
    const withWorkers = checkCapacity(footprint, [region({ workerCount: 2 })], false);
    // 4 + 2 × 8 = 20 vCPU, 8 + 2 × 16 = 40 GB.
    expect(withWorkers.regions[0]).toMatchObject({ nodes: 3, cpuMillis: 20_000, memoryMiB: 40_960 });
    expect(withWorkers.fits).toBe(true);
  });

  it('counts three control planes per region with HA', () => {
    const footprint = { cpuMillis: 10_000, memoryMiB: 20_000 };
    const single = checkCapacity(footprint, [region()], false);
    const ha = checkCapacity(footprint, [region()], true);
    expect(single.regions[0]).toMatchObject({ nodes: 1, cpuMillis: 4000 });
    expect(ha.regions[0]).toMatchObject({ nodes: 3, cpuMillis: 12_000, memoryMiB: 24_576 });
    expect(ha.regions[0]).toMatchObject({ usableCpuMillis: 10_800, usableMemoryMiB: 22_118 });
    expect(single.fits).toBe(false);
    expect(ha.fits).toBe(true);
  });

  it('holds every region to the whole footprint (each is its own cluster) and names the tightest', () => {
    const footprint = { cpuMillis: 6000, memoryMiB: 12_000 };
    const big = region({ cloudRegion: 'nbg1', workerCount: 1 }); // 12 vCPU, 24 GB
    const small = region({ cloudRegion: 'hel1' }); // 4 vCPU, 8 GB
    // Together they would have 16 vCPU; the small region alone cannot run the kit.
    const check = checkCapacity(footprint, [big, small], false);
    expect(check.regions.map((r) => r.fits)).toEqual([true, false]);
    expect(check.fits).toBe(false);
    expect(check.tightest).toMatchObject({ index: 1, cloudRegion: 'hel1' });

    const both = checkCapacity(footprint, [big, region({ cloudRegion: 'hel1', workerCount: 1 })], false);
    expect(both.fits).toBe(true);
    // Equal regions: the first is named.
    expect(both.tightest?.index).toBe(0);

    const tighterFirst = checkCapacity(
      footprint,
      [region({ workerCount: 1 }), region({ workerCount: 3 })],
      false,
    );
    expect(tighterFirst.tightest?.index).toBe(0);
    const tighterSecond = checkCapacity(
      footprint,
      [region({ workerCount: 3 }), region({ workerCount: 1 })],
      false,
    );
    expect(tighterSecond.tightest?.index).toBe(1);
  });

  it('ignores the worker size when there are no workers, and counts an unknown size as nothing', () => {
    const noWorkers = checkCapacity({ cpuMillis: 1, memoryMiB: 1 }, [region({ workerSize: 'gone' })], false);
    expect(noWorkers.regions[0]?.unknownSizes).toEqual([]);
    expect(noWorkers.fits).toBe(true);

    const unknown = checkCapacity(
      { cpuMillis: 1, memoryMiB: 1 },
      [region({ controlPlaneSize: 'gone' })],
      false,
    );
    expect(unknown.regions[0]).toMatchObject({ cpuMillis: 0, unknownSizes: ['gone'], fits: false });
  });

  it('has no region to name without regions', () => {
    const check = checkCapacity({ cpuMillis: 1, memoryMiB: 1 }, [], false);
    expect(check.tightest).toBeUndefined();
    expect(check.regions).toEqual([]);
  });
});

describe('installSetCapacity', () => {
  it('checks the install set’s kit footprint (installSetFootprint)', () => {
    for (const selected of [[], defaultSelection(), ['librechat']]) {
      const install = installSet(selected);
      const check = installSetCapacity(install, [region()], false);
      expect(check.requested).toEqual(installSetFootprint(install));
    }
    // A larger selection never requests less than the base kit.
    const base = installSetFootprint(installSet([]));
    const full = installSetFootprint(installSet(defaultSelection()));
    expect(full.cpuMillis).toBeGreaterThanOrEqual(base.cpuMillis);
    expect(full.memoryMiB).toBeGreaterThanOrEqual(base.memoryMiB);
  });
});

describe('formatting', () => {
  it('shows vCPU to two decimals and GiB to one, without trailing zeros', () => {
    expect(formatVcpu(3000)).toBe('3');
    expect(formatVcpu(2850)).toBe('2.85');
    expect(formatVcpu(3600)).toBe('3.6');
    expect(formatGib(4672)).toBe('4.6');
    expect(formatGib(7372)).toBe('7.2');
    expect(formatGib(8192)).toBe('8');
  });
});
