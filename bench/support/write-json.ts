import { writeFileSync } from 'node:fs';
import { format, resolveConfig } from 'prettier';

/** Writes `value` as JSON formatted the way `npm run format` would, so that `format:check` passes on it. */
export async function writeJson(path: string, value: unknown): Promise<void> {
  const options = (await resolveConfig(path)) ?? {};
  writeFileSync(path, await format(JSON.stringify(value), { ...options, parser: 'json' }));
}
