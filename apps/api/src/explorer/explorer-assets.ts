import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';

/** One file of the explorer, read once at boot: the files are small and never change while the API runs. */
export interface ExplorerAsset {
  readonly body: Buffer;
  readonly contentType: string;
  /** A strong ETag from the content, so that a browser revalidates cheaply and picks up a new build at once. */
  readonly etag: string;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/**
 * The explorer's files, from `apps/api/explorer`. Compiled, this file is `apps/api/dist/explorer/`, beside
 * `apps/api/src/explorer/`: the same `../../explorer` from both, so the sources and the built API find them alike.
 */
export class ExplorerAssets {
  static readonly DIRECTORY = resolve(__dirname, '..', '..', 'explorer');

  private readonly files: ReadonlyMap<string, ExplorerAsset>;

  constructor(directory: string = ExplorerAssets.DIRECTORY) {
    if (!existsSync(join(directory, 'index.html'))) {
      throw new Error(
        `The saga explorer's files are missing from ${directory}: it must be apps/api/explorer, beside the ` +
          `compiled API in apps/api/dist. Run the API from the repository as built, or pass the folder.`,
      );
    }
    // Only the files of the folder itself, by name: a request can never reach outside it.
    this.files = new Map(
      readdirSync(directory)
        .filter((name) => CONTENT_TYPES[extname(name)] !== undefined && statSync(join(directory, name)).isFile())
        .map((name) => [name, ExplorerAssets.read(join(directory, name))]),
    );
  }

  /** The page every route of the explorer answers with; the browser script routes by path. */
  get page(): ExplorerAsset {
    return this.files.get('index.html') as ExplorerAsset;
  }

  /** A file of the explorer by its plain name (`app.js`), or undefined. */
  find(name: string): ExplorerAsset | undefined {
    return this.files.get(name);
  }

  private static read(path: string): ExplorerAsset {
    const body = readFileSync(path);
    const hash = createHash('sha256').update(body).digest('base64url').slice(0, 27);
    return { body, contentType: CONTENT_TYPES[extname(path)], etag: `"${hash}"` };
  }
}
