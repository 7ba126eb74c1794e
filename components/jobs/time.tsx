'use client';

import { useSyncExternalStore } from 'react';
import { formatInZone, nextRunTime, relativeTime, zoneAbbreviation } from '@/lib/time';

const listeners = new Set<() => void>();
let now = Date.now();
let timer: ReturnType<typeof setInterval> | undefined;

function subscribeNow(listener: () => void): () => void {
  listeners.add(listener);
  if (!timer) {
    now = Date.now();
    timer = setInterval(() => {
      now = Date.now();
      for (const l of listeners) l();
    }, 1000);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

const getNow = () => now;
const getServerNow = () => null;

/** The current time in ms, ticking every second on the client; null on the server and during hydration. */
export function useNow(): number | null {
  return useSyncExternalStore(subscribeNow, getNow, getServerNow);
}

const noSubscription = () => () => {};
const getViewerZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;
const getServerZone = () => null;

/** The viewer's IANA time zone; null on the server and during hydration. */
export function useViewerZone(): string | null {
  return useSyncExternalStore(noSubscription, getViewerZone, getServerZone);
}

/** "2026-11-24 09:30:00 CET" in `zone`. */
function formatWithZone(iso: string, zone: string): string {
  return `${formatInZone(iso, zone)} ${zoneAbbreviation(iso, zone)}`;
}

/** Tooltip text of an instant: in the job's zone (when given) and in UTC. */
function instantTitle(iso: string, zone?: string): string {
  const utc = `${formatInZone(iso, 'UTC')} UTC`;
  if (!zone || zone === 'UTC') return utc;
  return `${formatWithZone(iso, zone)} (${zone}) · ${utc}`;
}

/**
 * An instant as relative time ("in 5 min", "3 h ago"), ticking; the exact instant in the job's zone
 * and UTC is in the title. Before hydration it shows the exact instant (identical on server and client).
 * A job's next run (`nextRun`) that has passed reads "due now", or "overdue, …" after a minute
 * (nextRunTime), not "1 sec. ago" until the page reloads.
 */
export function RelativeTime({ iso, zone, nextRun = false }: { iso: string; zone?: string; nextRun?: boolean }) {
  const current = useNow();
  const exact = zone ? formatWithZone(iso, zone) : `${formatInZone(iso, 'UTC')} UTC`;
  return (
    <time dateTime={iso} title={instantTitle(iso, zone)} className="relative-time" suppressHydrationWarning>
      {current === null ? exact : (nextRun ? nextRunTime : relativeTime)(iso, new Date(current))}
    </time>
  );
}

/** An instant in the viewer's zone ("2026-11-24 10:30:00 CET"), rendered after mount. */
export function LocalTime({ iso }: { iso: string }) {
  const zone = useViewerZone();
  return (
    <time dateTime={iso} title={instantTitle(iso, zone ?? undefined)}>
      {zone ? formatWithZone(iso, zone) : '…'}
    </time>
  );
}

/** An instant in a fixed zone with the zone's abbreviation; title adds the zone name and UTC. */
export function ZonedTime({ iso, zone }: { iso: string; zone: string }) {
  return (
    <time dateTime={iso} title={instantTitle(iso, zone)} suppressHydrationWarning>
      {formatWithZone(iso, zone)}
    </time>
  );
}

/** The viewer's zone name, rendered after mount. */
export function ViewerZoneName() {
  const zone = useViewerZone();
  return <>{zone ?? 'your zone'}</>;
}
