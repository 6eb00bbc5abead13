import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const CRUISER = join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');

/** Runs the repository's dependency rules over a tree of the given files, written to a folder of its own. */
function cruise(files: Record<string, string>): { status: number | null; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'sagaflow-deps-'));
  try {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    const run = spawnSync(
      process.execPath,
      [CRUISER, '--config', join(ROOT, '.dependency-cruiser.js'), '--no-progress', ...Object.keys(files)],
      { cwd: dir, encoding: 'utf8' },
    );
    return { status: run.status, output: run.stdout + run.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The check `npm run lint` (so `npm test` and CI) runs: it must fail on what it forbids, not only pass. */
describe('the dependency rules (.dependency-cruiser.js)', () => {
  it('fail on an import cycle', () => {
    const { status, output } = cruise({
      'libs/core/src/store/a.ts': "import { b } from './b';\nexport const a = () => b;\n",
      'libs/core/src/store/b.ts': "import { a } from './a';\nexport const b = () => a;\n",
    });
    expect(status).not.toBe(0);
    expect(output).toContain('no-circular');
  });

  it('fail when a layer of the core imports a later one (the store importing the runtime)', () => {
    const { status, output } = cruise({
      'libs/core/src/store/store.ts': "import { run } from '../runtime/runtime';\nexport const store = run;\n",
      'libs/core/src/runtime/runtime.ts': 'export const run = 1;\n',
    });
    expect(status).not.toBe(0);
    expect(output).toContain('core-store-below-queues-events-runtime-brokers');
  });

  it('pass a tree that keeps them', () => {
    const { status, output } = cruise({
      'libs/core/src/runtime/runtime.ts': "import { store } from '../store/store';\nexport const run = store;\n",
      'libs/core/src/store/store.ts': 'export const store = 1;\n',
    });
    expect({ status, output }).toMatchObject({ status: 0 });
  });
});
