import { describe, expect, it } from 'vitest';
import { StartCosts } from './start-cost';

const run = (task: string, n: number) => ({ task, n });
const names = (runs: Array<{ task: string; n: number }>) => runs.map((r) => `${r.task}${r.n}`);

describe('StartCosts', () => {
  it('orders an instant quickest task first, each task in its own order', () => {
    const costs = new StartCosts();
    costs.note('http', 0.4);
    costs.note('log', 0.001);
    costs.note('sleep', 0.01);
    const runs = [run('http', 1), run('log', 1), run('sleep', 1), run('http', 2), run('log', 2), run('sleep', 2), run('log', 3)];
    expect(names(costs.order(runs, (r) => r.task))).toEqual(['log1', 'log2', 'log3', 'sleep1', 'sleep2', 'http1', 'http2']);
  });

  it('starts a task not yet called here first (its cost is learned then), and keeps ties in the order they came', () => {
    const costs = new StartCosts();
    costs.note('a', 0.05);
    costs.note('b', 0.05);
    const runs = [run('b', 1), run('a', 1), run('new', 1), run('b', 2)];
    expect(names(costs.order(runs, (r) => r.task))).toEqual(['new1', 'b1', 'b2', 'a1']);
  });

  it('returns the runs of a single task as they are', () => {
    const costs = new StartCosts();
    const runs = [run('log', 2), run('log', 1)];
    expect(costs.order(runs, (r) => r.task)).toBe(runs);
  });

  it('follows a task whose cost changes, without being swayed by one odd call', () => {
    const costs = new StartCosts();
    costs.note('t', 1);
    expect(costs.of('t')).toBe(1);
    costs.note('t', 11);
    expect(costs.of('t')).toBeCloseTo(3);
    for (let i = 0; i < 40; i++) costs.note('t', 0.1);
    expect(costs.of('t')).toBeLessThan(0.11);
    expect(costs.of('unknown')).toBe(0);
  });
});
