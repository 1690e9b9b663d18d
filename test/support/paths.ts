// Paths tests need, resolved from the repository root (tests run from dist/test/...).
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

export const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
/** The read-only shared/ folder that sits beside the repository checkout. */
export const SHARED_DIR = resolve(REPO_ROOT, '..', 'shared');
export const PLANO_REFERENCE_DIR = resolve(SHARED_DIR, 'reference', 'plano');
export const CLI_MAIN = resolve(REPO_ROOT, 'dist', 'src', 'cli', 'main.js');
