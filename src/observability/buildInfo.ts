// What this build is, for switchyard_build_info, the status page and spans.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

function readVersion(): string {
  // dist/src/observability/ -> the package root, in a checkout and in an installed package alike.
  try {
    const pkg = JSON.parse(readFileSync(fileURLToPath(new URL('../../../package.json', import.meta.url)), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}

export const BUILD = Object.freeze({ version: readVersion(), node: process.version });
