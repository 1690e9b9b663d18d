// Paths tests need, resolved from the repository root (tests run from dist/test/...).
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

export const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
/** Everything a test reads lives under test/fixtures: a clone needs nothing beside it. */
export const FIXTURES_DIR = resolve(REPO_ROOT, 'test', 'fixtures');
/** Plano's schema, full reference and retry configs (Apache-2.0, see its NOTICE.md). */
export const PLANO_REFERENCE_DIR = resolve(FIXTURES_DIR, 'plano');
export const CLI_MAIN = resolve(REPO_ROOT, 'dist', 'src', 'cli', 'main.js');
