// Debian's chromium, driven by playwright-core: never a downloaded browser.
// Each caller gets its own profile in a fresh temporary directory. A missing
// chromium fails the test (.ci/run installs it); it is never skipped.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { REPO_ROOT } from './paths.js';

export const CHROMIUM = process.env['SWITCHYARD_CHROMIUM'] ?? '/usr/bin/chromium';

/** Where tests leave screenshots: test-artifacts/ at the repository root, or $SWITCHYARD_TEST_ARTIFACTS. */
export function artifactPath(name: string): string {
  const dir = resolve(process.env['SWITCHYARD_TEST_ARTIFACTS'] ?? join(REPO_ROOT, 'test-artifacts'));
  mkdirSync(dir, { recursive: true });
  return join(dir, name);
}

export interface Browser {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

export async function launchChromium(credentials?: { username: string; password: string }): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium package (.ci/run does) or set SWITCHYARD_CHROMIUM`);
  const profile = mkdtempSync(join(tmpdir(), 'switchyard-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    // Running as root needs --no-sandbox; the rest keep chromium off the (closed) network.
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    ...(credentials === undefined ? {} : { httpCredentials: credentials }),
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
