import { join } from 'node:path';

/**
 * Where a run writes its figures: `BENCH_OUT` when set; `bench/` itself, the tracked `results.json` and chart,
 * only with `BENCH_SAVE=1`, so that a figure is committed on purpose; else the git-ignored `bench/out/`
 * (`bench/tmp/` for a quick run).
 */
export function outputDir(root: string, quick = false): string {
  if (process.env.BENCH_OUT) return process.env.BENCH_OUT;
  if (process.env.BENCH_SAVE === '1') return join(root, 'bench');
  return join(root, 'bench', quick ? 'tmp' : 'out');
}
