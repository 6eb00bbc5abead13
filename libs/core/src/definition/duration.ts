/**
 * A span of time: milliseconds as a number, or a string such as `'500ms'`, `'5s'`, `'2m'`, `'1h'`, `'3d'`.
 * @publicApi
 */
export type Duration = number | `${number}${'ms' | 's' | 'm' | 'h' | 'd'}`;

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const DURATION_PATTERN = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/;

/** Converts a {@link Duration} to whole milliseconds; `undefined` when it is not a valid, non-negative duration. */
export function toMilliseconds(duration: Duration): number | undefined {
  if (typeof duration === 'number') {
    return Number.isFinite(duration) && duration >= 0 ? Math.round(duration) : undefined;
  }
  const match = DURATION_PATTERN.exec(duration);
  if (!match) return undefined;
  return Math.round(Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS]);
}
