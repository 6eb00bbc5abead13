import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { join } from 'node:path';

/** What the figures were measured on. */
export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  redis: string;
  bullmq: string;
  ioredis: string;
  /** 1-minute load average before the bench started: above 0.5 on 2 cores, something else was running. */
  loadAverageAtStart: number;
}

function packageVersion(root: string, name: string): string {
  return (JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')) as { version: string })
    .version;
}

export function describeMachine(root: string): Machine {
  const redisVersion = /v=(\S+)/.exec(execFileSync('redis-server', ['--version'], { encoding: 'utf8' }));
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `${process.platform} ${release()}`,
    node: process.version,
    redis: redisVersion?.[1] ?? 'unknown',
    bullmq: packageVersion(root, 'bullmq'),
    ioredis: packageVersion(root, 'ioredis'),
    loadAverageAtStart: Math.round(loadavg()[0] * 100) / 100,
  };
}
