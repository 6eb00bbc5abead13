import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { CrashTestWorker } from '@sagaflow/testing';

const ROOT = join(__dirname, '..', '..');
const ENTRY = join(ROOT, 'apps/worker/dist/main.js');

/**
 * The built worker app (it registers the checkout, transfer and loyalty samples), as a crash test starts it.
 * Warnings only: a crash test starts some eighty of them.
 */
export function sampleWorker(): CrashTestWorker {
  if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run "npm run build" first (npm test does).`);
  return { command: process.execPath, args: [ENTRY], cwd: ROOT, env: { LOG_LEVEL: 'warn', WORKER_CONCURRENCY: '5' } };
}
