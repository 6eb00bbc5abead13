import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChainableCommander, Redis } from 'ioredis';
import { guardRedis } from './guard-redis';
import { batchWrites, releaseWrites } from './write-batching';

const INCLUDE = /^--- @include "([\w/]+)"$/gm;

/** Inlines `--- @include "includes/x"` lines, each fragment once, the way BullMQ assembles its scripts. */
function assemble(dir: string, file: string, included = new Set<string>()): string {
  return readFileSync(join(dir, file), 'utf8').replace(INCLUDE, (_line, name: string) => {
    if (included.has(name)) return '';
    included.add(name);
    return assemble(dir, `${name}.lua`, included);
  });
}

/** The commands `defineCommand` adds to a connection (and to its pipelines and transactions), by name. */
type ScriptCommands = Record<string, (...args: (string | number)[]) => Promise<unknown>>;

/**
 * The Lua scripts of one folder, registered as commands on a connection: ioredis sends EVALSHA and falls back
 * to EVAL after a Redis restart. A file is named `<name>-<key count>.lua`, so a call with the wrong number of
 * keys fails here rather than inside Redis; `<name>-n.lua` takes any number.
 * @typeParam F - the file names
 */
export class LuaScripts<F extends string> {
  /** Per file, the command it is registered as and the number of keys it takes (`undefined`: any). */
  private readonly commands = new Map<F, { name: string; keyCount?: number }>();

  constructor(
    private readonly redis: Redis,
    dir: string,
    files: readonly F[],
    private readonly commandPrefix: string,
  ) {
    for (const file of files) {
      const match = /^[a-z-]+-(\d+|n)\.lua$/.exec(file);
      if (!match) throw new Error(`Script file "${file}" must be named <name>-<key count>.lua or <name>-n.lua.`);
      const keyCount = match[1] === 'n' ? undefined : Number(match[1]);
      const command = { name: this.commandName(file), keyCount };
      this.commands.set(file, command);
      redis.defineCommand(command.name, { numberOfKeys: keyCount, lua: assemble(dir, file) });
    }
  }

  /**
   * Runs a script; an unreachable Redis becomes `StoreUnavailableError`. Scripts run in the same turn of the event
   * loop share a write to Redis (see {@link batchWrites}).
   * @typeParam R - the reply's shape, as the script's header documents it
   */
  run<R = unknown>(file: F, keys: readonly string[], args: readonly (string | number)[] = []): Promise<R> {
    const [name, keyArgs] = this.command(file, keys);
    batchWrites(this.redis);
    return guardRedis(() => (this.redis as unknown as ScriptCommands)[name](...keyArgs, ...args) as Promise<R>);
  }

  /** Writes the script calls held back until the end of the turn (see {@link batchWrites}) now. */
  releaseWrites(): void {
    releaseWrites(this.redis);
  }

  /** Adds a script call to a pipeline or transaction. */
  queue(target: ChainableCommander, file: F, keys: readonly string[], args: readonly (string | number)[] = []): void {
    const [name, keyArgs] = this.command(file, keys);
    (target as unknown as ScriptCommands)[name](...keyArgs, ...args);
  }

  /**
   * The name of the command a file is registered as, once the keys are checked, followed by the keys (after their
   * number, for a script that takes any).
   */
  private command(file: F, keys: readonly string[]): [string, readonly (string | number)[]] {
    const command = this.commands.get(file);
    if (!command) throw new Error(`Script "${file}" is not one of this LuaScripts' files.`);
    if (command.keyCount === undefined) return [command.name, [keys.length, ...keys]];
    if (keys.length !== command.keyCount) {
      throw new Error(`Script "${file}" takes ${command.keyCount} keys, got ${keys.length}.`);
    }
    return [command.name, keys];
  }

  /** `complete-step-2.lua` with prefix `sagaflow` → `sagaflowCompleteStep` */
  private commandName(file: F): string {
    const stem = file.replace(/-(\d+|n)\.lua$/, '');
    return this.commandPrefix + stem.replace(/(^|-)(\w)/g, (_match, _dash, letter: string) => letter.toUpperCase());
  }
}
