import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Where Debian's `chromium` package puts its launcher, and the binary behind it. */
const DEBIAN_PATHS = ['/usr/bin/chromium', '/usr/lib/chromium/chromium'];

/**
 * The Chromium binary of the machine: `CHROMIUM_PATH` when set, else Debian's. The browser tests never download
 * a browser build (no `playwright install`): they drive the distribution's package, which `.ci/run` installs.
 */
export function chromiumPath(): string {
  const configured = process.env.CHROMIUM_PATH;
  if (configured) {
    if (!existsSync(configured)) throw new Error(`CHROMIUM_PATH=${configured} does not exist.`);
    return configured;
  }
  const found = DEBIAN_PATHS.find((path) => existsSync(path));
  if (!found) {
    throw new Error(
      `No Chromium at ${DEBIAN_PATHS.join(' or ')}. The explorer's browser tests drive Debian's Chromium: ` +
        `install it with "apt-get install -y chromium" (.ci/run does when it is missing), or set CHROMIUM_PATH.`,
    );
  }
  return found;
}

/** Headless Chromium, without sandbox (CI runs as root), GPU or any background traffic of its own. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}
