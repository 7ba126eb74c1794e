import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { scavengeIfFilled } from './young-gc';

describe('scavengeIfFilled', () => {
  it('scavenges when the young generation is fuller than asked, and only then', () => {
    const garbage = Array.from({ length: 50_000 }, (_, i) => ({ i }));
    expect(garbage.length).toBe(50_000);
    expect(scavengeIfFilled(0)).toBe(true);
    expect(scavengeIfFilled(1.01)).toBe(false);
  });

  it('leaves no gc() behind: contexts made afterwards do not get one', () => {
    scavengeIfFilled(0);
    expect(vm.runInNewContext('typeof gc')).toBe('undefined');
  });
});
