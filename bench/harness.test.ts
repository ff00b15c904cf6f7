import { availableParallelism } from 'node:os';

import { formatSection, goalMet, loadBetween, measureRate, median, percentile, readCpuSample, type LoadSample } from './harness';

describe('bench harness', () => {
  it('computes nearest-rank percentiles and medians', () => {
    const xs = [5, 1, 4, 2, 3];
    expect(median(xs)).toBe(3);
    expect(percentile(xs, 0)).toBe(1);
    expect(percentile(xs, 100)).toBe(5);
    expect(percentile(Array.from({ length: 100 }, (_, i) => i + 1), 99)).toBe(99);
    expect(median([])).toBeNaN();
  });

  it('checks goals in both directions', () => {
    expect(goalMet(0.9, '>= 0.85')).toBe(true);
    expect(goalMet(0.8, '>= 0.85')).toBe(false);
    expect(goalMet(1.6, '<= 1.5')).toBe(false);
    expect(goalMet(1, 'informative')).toBeUndefined();
  });

  it('prints ratio and verdict columns', () => {
    const text = formatSection({
      title: 'T',
      figures: [
        { name: 'a', measured: 900, unit: 'op/s', limit: 1000, goal: '>= 0.85', id: 'G2' },
        { name: 'b', measured: 3, unit: 'µs', limit: 2, goal: '<= 1' },
        { name: 'c', measured: 1.5, unit: 'ms' },
      ],
      notes: ['n'],
    });
    expect(text).toContain('### T');
    expect(text).toMatch(/\| a +\| +900 op\/s \| +1,000 op\/s \| 0\.900 \| +G2 >= 0\.85 ok \|/);
    expect(text).toMatch(/\| b .*1\.500 \| +<= 1 MISSED \|/);
    expect(text).toContain('- n');
  });

  it('measures a rate close to the true one', () => {
    let sink = 0;
    const r = measureRate((i) => {
      for (let k = 0; k < 1000; k++) sink += (i * k) % 7;
    }, { warmupMs: 10, runs: 3, minRunMs: 30 });
    expect(sink).toBeGreaterThan(0);
    expect(r.runs).toHaveLength(3);
    expect(r.opsPerSec).toBeGreaterThan(0);
    expect(r.usPerOp).toBeCloseTo(1e6 / r.opsPerSec);
  });

  it('attributes busy CPU time to this process or to others', () => {
    const before: LoadSample = { cpu: { steal: 0, busy: 0, total: 0 }, own: { user: 0, system: 0 }, wallMs: 0 };
    const cores = availableParallelism();
    // 1 s on all cores: half the jiffies busy, this process used a quarter of the capacity.
    const after: LoadSample = {
      cpu: { steal: 3, busy: 50, total: 100 },
      own: { user: 250_000 * cores, system: 0 },
      wallMs: 1000,
    };
    const r = loadBetween(before, after);
    expect(r.steal).toBeCloseTo(3);
    expect(r.foreign).toBeCloseTo(25);
    if (process.platform === 'linux') expect(readCpuSample()!.total).toBeGreaterThan(0);
  });
});
