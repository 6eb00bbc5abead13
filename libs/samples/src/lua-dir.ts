import { join } from 'node:path';

/** The samples' Lua scripts, one folder per sample: `lua/` beside `src/` and `dist/`, so both find them. */
export const LUA_DIR = join(__dirname, '..', 'lua');
