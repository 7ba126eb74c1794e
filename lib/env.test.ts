import { afterEach, describe, expect, it } from 'vitest';
import { env, resetEnv } from './env';

const NAME = 'SCHEDULER_REALTIME_PRIORITY';
const saved = process.env[NAME];

afterEach(() => {
  if (saved === undefined) delete process.env[NAME];
  else process.env[NAME] = saved;
  resetEnv();
});

function parse(value: string | undefined) {
  if (value === undefined) delete process.env[NAME];
  else process.env[NAME] = value;
  resetEnv();
  return env();
}

describe('SCHEDULER_REALTIME_PRIORITY', () => {
  it('is 0 (off) when unset, and takes a whole number from 0 to 99', () => {
    expect(parse(undefined)[NAME]).toBe(0);
    expect(parse('1')[NAME]).toBe(1);
    expect(parse('99')[NAME]).toBe(99);
    expect(parse('0')[NAME]).toBe(0);
  });

  it.each(['abc', '100', '-1', '1.5'])('refuses %s, naming the variable and what it takes', (value) => {
    expect(() => parse(value)).toThrow(`${NAME}: must be a whole number from 0 (off) to 99`);
  });
});
