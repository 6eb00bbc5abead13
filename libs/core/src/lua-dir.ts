import { join } from 'node:path';

/**
 * The engine's Lua scripts. They live in `lua/` at the package's root, beside `src/` and `dist/`, so that the
 * sources (under Jest) and the compiled package find the same files, and npm ships them with `files`.
 */
export const LUA_DIR = join(__dirname, '..', 'lua');
