import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { guard } from './redis-calls';

const LUA_DIR = join(__dirname, 'lua');

/** Every demo script answers a status code first (see its header), then strings. */
export type ScriptReply = [code: number, ...values: string[]];

/**
 * The gateways' Lua scripts, registered as commands on the shared connection (ioredis sends EVALSHA and falls
 * back to EVAL after a Redis restart). A file is named `<name>-<key count>.lua`, like the engine's.
 */
export class LuaScripts<F extends string> {
  private readonly keyCounts = new Map<F, number>();

  constructor(
    private readonly redis: Redis,
    files: readonly F[],
  ) {
    for (const file of files) {
      const match = /^[a-z-]+-(\d+)\.lua$/.exec(file);
      if (!match) throw new Error(`Script file "${file}" must be named <name>-<key count>.lua.`);
      const numberOfKeys = Number(match[1]);
      this.keyCounts.set(file, numberOfKeys);
      redis.defineCommand(commandName(file), { numberOfKeys, lua: readFileSync(join(LUA_DIR, file), 'utf8') });
    }
  }

  async run(file: F, keys: readonly string[], args: readonly (string | number)[] = []): Promise<ScriptReply> {
    const keyCount = this.keyCounts.get(file);
    if (keys.length !== keyCount) throw new Error(`Script "${file}" takes ${keyCount} keys, got ${keys.length}.`);
    const command = (this.redis as unknown as Record<string, (...a: (string | number)[]) => Promise<unknown>>)[
      commandName(file)
    ];
    return (await guard(() => command.call(this.redis, ...keys, ...args))) as ScriptReply;
  }
}

/** `reserve-stock-3.lua` → `checkoutDemoReserveStock`; the prefix keeps clear of the engine's commands. */
function commandName(file: string): string {
  const stem = file.replace(/-\d+\.lua$/, '');
  return 'checkoutDemo' + stem.replace(/(^|-)(\w)/g, (_match, _dash, letter: string) => letter.toUpperCase());
}
