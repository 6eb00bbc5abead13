import { NAME_PATTERN } from '@sagaflow/core';

/**
 * Reads `payments=5,reports=2`: a value per pool. Throws a message naming the variable and the entry at fault.
 * @publicApi
 */
export function perPool<T>(variable: string, text: string, value: (raw: string) => T | undefined): Record<string, T> {
  const settings: Record<string, T> = {};
  for (const entry of text.split(',').filter(Boolean)) {
    const [pool, raw = ''] = entry.split('=');
    const parsed = value(raw.trim());
    if (!NAME_PATTERN.test(pool.trim()) || parsed === undefined) {
      throw new Error(`${variable}: "${entry}" is not <pool>=<value> as documented.`);
    }
    settings[pool.trim()] = parsed;
  }
  return settings;
}

/** A positive integer, such as a concurrency. */
export function positiveInteger(raw: string): number | undefined {
  const value = Number(raw);
  return /^\d+$/.test(raw) && value > 0 ? value : undefined;
}

const UNITS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000 };

/** A rate such as `100/1s`: at most 100 per second. */
export function rate(raw: string): { max: number; durationMs: number } | undefined {
  const match = /^(\d+)\/(\d+)(ms|s|m)$/.exec(raw);
  if (!match || Number(match[1]) < 1 || Number(match[2]) < 1) return undefined;
  return { max: Number(match[1]), durationMs: Number(match[2]) * UNITS[match[3]] };
}
