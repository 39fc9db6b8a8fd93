// UTC days, the unit of usage: a counter per client per day, named by its
// ISO date. A week is the ISO week, Monday 00:00 UTC to now.

const DAY_MS = 86_400_000;

export function utcDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The `count` UTC dates ending with today's, oldest first. */
export function lastDays(now: number, count: number): string[] {
  return Array.from({ length: count }, (_, i) => utcDate(now - (count - 1 - i) * DAY_MS));
}

/** The ISO date of this ISO week's Monday. */
export function weekStart(now: number): string {
  const daysSinceMonday = (new Date(now).getUTCDay() + 6) % 7;
  return utcDate(now - daysSinceMonday * DAY_MS);
}

/** Midnight UTC after `now`. */
export function nextMidnight(now: number): Date {
  const d = new Date(now);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1));
}
