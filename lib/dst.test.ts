import { describe, expect, it } from 'vitest';
import { dstPosition, dstRun, dstTransitionOn, dstTransitionsOn } from './dst';

describe('dstTransitionOn', () => {
  it('finds Berlin spring forward: 02:00 -> 03:00 does not exist', () => {
    const t = dstTransitionOn('2026-03-29T10:00:00Z', 'Europe/Berlin');
    expect(t).toMatchObject({ kind: 'gap', date: '2026-03-29', from: '02:00', to: '03:00', offsetBefore: 60, offsetAfter: 120 });
    expect(t?.at.toISOString()).toBe('2026-03-29T01:00:00.000Z');
  });

  it('finds Berlin fall back: 02:00-03:00 happens twice', () => {
    const t = dstTransitionOn('2026-10-25T20:00:00Z', 'Europe/Berlin');
    expect(t).toMatchObject({ kind: 'repeat', date: '2026-10-25', from: '02:00', to: '03:00', offsetBefore: 120, offsetAfter: 60 });
    expect(t?.at.toISOString()).toBe('2026-10-25T01:00:00.000Z');
  });

  it('finds New York spring forward and fall back', () => {
    expect(dstTransitionOn('2026-03-08T12:00:00Z', 'America/New_York')).toMatchObject({ kind: 'gap', from: '02:00', to: '03:00' });
    const back = dstTransitionOn('2026-11-01T12:00:00Z', 'America/New_York');
    expect(back).toMatchObject({ kind: 'repeat', date: '2026-11-01', from: '01:00', to: '02:00' });
    expect(back?.at.toISOString()).toBe('2026-11-01T06:00:00.000Z');
  });

  it('finds Lord Howe 30-minute shifts (southern hemisphere)', () => {
    // 07:00 local on 2026-10-04 is still 2026-10-03 in UTC.
    const spring = dstTransitionOn('2026-10-03T20:00:00Z', 'Australia/Lord_Howe');
    expect(spring).toMatchObject({ kind: 'gap', date: '2026-10-04', from: '02:00', to: '02:30', offsetBefore: 630, offsetAfter: 660 });
    expect(spring?.at.toISOString()).toBe('2026-10-03T15:30:00.000Z');
    const autumn = dstTransitionOn('2026-04-05T01:00:00Z', 'Australia/Lord_Howe');
    expect(autumn).toMatchObject({ kind: 'repeat', date: '2026-04-05', from: '01:30', to: '02:00', offsetBefore: 660, offsetAfter: 630 });
    expect(autumn?.at.toISOString()).toBe('2026-04-04T15:00:00.000Z');
  });

  it('puts a change at midnight on the day its span starts (America/Santiago)', () => {
    expect(dstTransitionOn('2026-04-04T12:00:00Z', 'America/Santiago')).toMatchObject({ kind: 'repeat', date: '2026-04-04', from: '23:00', to: '00:00' });
    expect(dstTransitionOn('2026-04-05T12:00:00Z', 'America/Santiago')).toBeNull();
    expect(dstTransitionOn('2026-09-06T12:00:00Z', 'America/Santiago')).toMatchObject({ kind: 'gap', date: '2026-09-06', from: '00:00', to: '01:00' });
  });

  it('reports nothing on a normal day, the day before a change, or in UTC', () => {
    expect(dstTransitionOn('2026-06-15T12:00:00Z', 'Europe/Berlin')).toBeNull();
    expect(dstTransitionOn('2026-03-28T22:59:59Z', 'Europe/Berlin')).toBeNull();
    expect(dstTransitionOn('2026-03-30T00:00:00Z', 'Europe/Berlin')).toBeNull();
    expect(dstTransitionsOn('2026-03-29T10:00:00Z', 'UTC')).toEqual([]);
  });

  it('uses the local day, not the UTC day', () => {
    // 2026-03-28T23:30Z is 00:30 on 2026-03-29 in Berlin.
    expect(dstTransitionOn('2026-03-28T23:30:00Z', 'Europe/Berlin')?.date).toBe('2026-03-29');
    // 2026-03-08T04:30Z is still 2026-03-07 in New York.
    expect(dstTransitionOn('2026-03-08T04:30:00Z', 'America/New_York')).toBeNull();
  });

  it('returns nothing for an invalid instant', () => {
    expect(dstTransitionsOn('not a date', 'Europe/Berlin')).toEqual([]);
  });
});

describe('dstRun', () => {
  it('marks a run at the end of a gap (02:30 moved to 03:00)', () => {
    expect(dstRun('2026-03-29T01:00:00Z', 'Europe/Berlin')?.position).toBe('gap-end');
    expect(dstRun('2026-10-03T15:30:00Z', 'Australia/Lord_Howe')?.position).toBe('gap-end');
    expect(dstRun('2026-03-08T07:00:00Z', 'America/New_York')?.position).toBe('gap-end');
  });

  it('tells the first and second occurrence of a repeated hour apart', () => {
    // Berlin 02:30 CEST (first) and 02:30 CET (second).
    expect(dstRun('2026-10-25T00:30:00Z', 'Europe/Berlin')?.position).toBe('repeat-first');
    expect(dstRun('2026-10-25T01:30:00Z', 'Europe/Berlin')?.position).toBe('repeat-second');
    // The repeated span is [02:00, 03:00): 03:00 CET is past it, 01:59 CEST before it.
    expect(dstRun('2026-10-25T02:00:00Z', 'Europe/Berlin')?.position).toBe('same-day');
    expect(dstRun('2026-10-24T23:59:00Z', 'Europe/Berlin')?.position).toBe('same-day');
    // New York 01:15 EDT and 01:15 EST.
    expect(dstRun('2026-11-01T05:15:00Z', 'America/New_York')?.position).toBe('repeat-first');
    expect(dstRun('2026-11-01T06:15:00Z', 'America/New_York')?.position).toBe('repeat-second');
    // Lord Howe repeats 01:30-02:00: 01:45 +11:00 then 01:45 +10:30.
    expect(dstRun('2026-04-04T14:45:00Z', 'Australia/Lord_Howe')?.position).toBe('repeat-first');
    expect(dstRun('2026-04-04T15:15:00Z', 'Australia/Lord_Howe')?.position).toBe('repeat-second');
  });

  it('marks other runs of the day as same-day and runs of normal days as null', () => {
    expect(dstRun('2026-03-29T08:00:00Z', 'Europe/Berlin')).toMatchObject({ position: 'same-day', transition: { kind: 'gap' } });
    expect(dstRun('2026-06-15T08:00:00Z', 'Europe/Berlin')).toBeNull();
  });

  it('dstPosition ignores milliseconds', () => {
    const t = dstTransitionOn('2026-03-29T10:00:00Z', 'Europe/Berlin');
    expect(t).not.toBeNull();
    if (t) expect(dstPosition('2026-03-29T01:00:00.400Z', t)).toBe('gap-end');
  });
});
