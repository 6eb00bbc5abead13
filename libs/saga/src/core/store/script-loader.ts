import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Redis } from 'ioredis';

const LUA_DIR = join(__dirname, 'lua');
const INCLUDE = /^--- @include "([\w/]+)"$/gm;

/** Inlines `--- @include "includes/x"` lines, each fragment once, the way BullMQ assembles its scripts. */
function assemble(file: string, included = new Set<string>()): string {
  return readFileSync(join(LUA_DIR, file), 'utf8').replace(INCLUDE, (_line, name: string) => {
    if (included.has(name)) return '';
    included.add(name);
    return assemble(`${name}.lua`, included);
  });
}

/**
 * Registers each script of `lua/` as a command on the connection; the key count is read from the file name
 * (`complete-step-2.lua` takes two keys). ioredis sends EVALSHA and falls back to EVAL after a restart.
 */
export function defineScripts<const N extends readonly string[]>(redis: Redis, files: N): void {
  for (const file of files) {
    const match = /^(.+)-(\d+)\.lua$/.exec(basename(file));
    if (!match) throw new Error(`Script file "${file}" must be named <name>-<key count>.lua.`);
    redis.defineCommand(commandName(file), { numberOfKeys: Number(match[2]), lua: assemble(file) });
  }
}

/** `complete-step-2.lua` → `sagaflowCompleteStep` */
export function commandName(file: string): string {
  const stem = file.replace(/-\d+\.lua$/, '');
  return 'sagaflow' + stem.replace(/(^|-)(\w)/g, (_m, _dash, letter: string) => letter.toUpperCase());
}
