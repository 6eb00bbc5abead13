import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LUA_DIR } from '../lua-dir';
import { ScriptCode, cancelOutcome, startOutcome } from './script-replies';
import { SagaAlreadyExistsError } from '../errors/saga-already-exists.error';
import { SagaIdempotencyConflictError } from '../errors/saga-idempotency-conflict.error';

function luaFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? luaFiles(join(dir, entry.name)) : entry.name.endsWith('.lua') ? [join(dir, entry.name)] : [],
  );
}

describe('ScriptCode', () => {
  it('gives every meaning its own value', () => {
    const values = Object.values(ScriptCode);
    expect(new Set(values).size).toBe(values.length);
  });

  it('names every failure code a store script returns or documents', () => {
    const known = new Set<number>(Object.values(ScriptCode));
    const used = luaFiles(LUA_DIR).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/\{ (-\d+)[,\s}]|^\s+(-\d+) /gm)].map((match) => ({
        file,
        code: Number(match[1] ?? match[2]),
      })),
    );
    expect(used.length).toBeGreaterThan(20);
    expect(used.filter(({ code }) => !known.has(code))).toEqual([]);
  });
});

describe('a script reply', () => {
  it('of a start that finds its id taken is SagaAlreadyExistsError', () => {
    expect(() => startOutcome([ScriptCode.SagaExists], 'id-1')).toThrow(SagaAlreadyExistsError);
  });

  it("of a start whose key belongs to another input is SagaIdempotencyConflictError naming the key's saga", () => {
    expect(() => startOutcome([ScriptCode.IdempotencyConflict, 'id-0'], 'id-1', 'key-1')).toThrow(
      SagaIdempotencyConflictError,
    );
    expect(startOutcome([ScriptCode.IdempotentReplay, 'id-0'], 'id-1', 'key-1')).toEqual({
      outcome: 'existing',
      sagaId: 'id-0',
    });
  });

  it('of a cancellation past a pivot names the step, apart from a status conflict', () => {
    expect(cancelOutcome([ScriptCode.PastPivot, 'running', 'ship'])).toEqual({
      outcome: 'past-pivot',
      status: 'running',
      step: 'ship',
    });
    expect(cancelOutcome([ScriptCode.WrongStatus, 'completed'])).toEqual({ outcome: 'conflict', status: 'completed' });
  });
});
