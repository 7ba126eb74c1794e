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
  it('is auto when unset or empty, and takes auto or a whole number from 0 to 99', () => {
    expect(parse(undefined)[NAME]).toBe('auto');
    expect(parse('')[NAME]).toBe('auto');
    expect(parse(' Auto ')[NAME]).toBe('auto');
    expect(parse('1')[NAME]).toBe(1);
    expect(parse('99')[NAME]).toBe(99);
    expect(parse('0')[NAME]).toBe(0);
  });

  it.each(['abc', 'on', '100', '-1', '1.5'])('refuses %s, naming the variable and what it takes', (value) => {
    expect(() => parse(value)).toThrow(`${NAME}: must be auto, 0 (off) or a whole number from 1 to 99`);
  });
});
