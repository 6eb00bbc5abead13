import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChainableCommander, Redis } from 'ioredis';
import { guardRedis } from './guard-redis';

const INCLUDE = /^--- @include "([\w/]+)"$/gm;

/** Inlines `--- @include "includes/x"` lines, each fragment once, the way BullMQ assembles its scripts. */
function assemble(dir: string, file: string, included = new Set<string>()): string {
  return readFileSync(join(dir, file), 'utf8').replace(INCLUDE, (_line, name: string) => {
    if (included.has(name)) return '';
    included.add(name);
    return assemble(dir, `${name}.lua`, included);
  });
}

/**
 * The Lua scripts of one folder, registered as commands on a connection: ioredis sends EVALSHA and falls back
 * to EVAL after a Redis restart. A file is named `<name>-<key count>.lua`, so a call with the wrong number of
 * keys fails here rather than inside Redis.
 * @typeParam F - the file names
 */
export class LuaScripts<F extends string> {
  private readonly keyCounts = new Map<F, number>();

  constructor(
    private readonly redis: Redis,
    dir: string,
    files: readonly F[],
    private readonly commandPrefix: string,
  ) {
    for (const file of files) {
      const match = /^[a-z-]+-(\d+)\.lua$/.exec(file);
      if (!match) throw new Error(`Script file "${file}" must be named <name>-<key count>.lua.`);
      this.keyCounts.set(file, Number(match[1]));
      redis.defineCommand(this.commandName(file), { numberOfKeys: Number(match[1]), lua: assemble(dir, file) });
    }
  }

  /**
   * Runs a script; an unreachable Redis becomes `StoreUnavailableError`.
   * @typeParam R - the reply's shape, as the script's header documents it
   */
  run<R = unknown>(file: F, keys: readonly string[], args: readonly (string | number)[] = []): Promise<R> {
    return guardRedis(() => this.command(this.redis, file, keys)(...keys, ...args) as Promise<R>);
  }

  /** Adds a script call to a pipeline or transaction. */
  queue(target: ChainableCommander, file: F, keys: readonly string[], args: readonly (string | number)[] = []): void {
    this.command(target, file, keys)(...keys, ...args);
  }

  private command(target: Redis | ChainableCommander, file: F, keys: readonly string[]) {
    if (keys.length !== this.keyCounts.get(file)) {
      throw new Error(`Script "${file}" takes ${this.keyCounts.get(file)} keys, got ${keys.length}.`);
    }
    const commands = target as unknown as Record<string, (...args: (string | number)[]) => unknown>;
    return commands[this.commandName(file)].bind(target);
  }

  /** `complete-step-2.lua` with prefix `sagaflow` → `sagaflowCompleteStep` */
  private commandName(file: F): string {
    const stem = file.replace(/-\d+\.lua$/, '');
    return this.commandPrefix + stem.replace(/(^|-)(\w)/g, (_match, _dash, letter: string) => letter.toUpperCase());
  }
}
