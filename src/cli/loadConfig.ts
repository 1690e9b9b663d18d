// Finds and loads the config for `up`, printing warnings and exiting 2 on errors.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildZeroConfig } from '../config/zeroConfig.js';
import { loadConfigFile } from '../config/load.js';
import { formatIssues } from '../config/formatIssues.js';
import type { Config, LoadResult } from '../config/types.js';

export const CONFIG_SEARCH_ORDER = ['config.yaml', 'plano_config.yaml'] as const;

/** The file `up` would use: the one given, else the first of CONFIG_SEARCH_ORDER that exists. */
export function findConfigFile(given: string | undefined, cwd = process.cwd()): string | undefined {
  if (given !== undefined) return resolve(cwd, given);
  for (const name of CONFIG_SEARCH_ORDER) {
    const path = resolve(cwd, name);
    if (existsSync(path)) return path;
  }
  return undefined;
}

export function reportLoad(result: LoadResult, source: string): Config | undefined {
  if (!result.ok) {
    process.stderr.write(`${formatIssues(result.issues, source)}\n`);
    const errors = result.issues.filter((i) => i.severity === 'error').length;
    process.stderr.write(`${source}: ${errors} error${errors === 1 ? '' : 's'}; not starting.\n`);
    return undefined;
  }
  if (result.warnings.length > 0) process.stderr.write(`${formatIssues(result.warnings, source)}\n`);
  return result.config;
}

/** Loads the config `up` should run, or exits the process with status 2. */
export function loadConfigOrExit(given: string | undefined, env = process.env): { config: Config; file: string | undefined } {
  const file = findConfigFile(given);
  const result = file !== undefined ? loadConfigFile(file, env) : buildZeroConfig(env);
  const config = reportLoad(result, file ?? '<zero-config>');
  if (!config) process.exit(2);
  return { config, file };
}
