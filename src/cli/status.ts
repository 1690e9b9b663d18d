// `switchyard status [--url URL]`: the running gateway's /status.json as a
// table. The URL is --url, else $SWITCHYARD_URL, else the admin listener (or
// the model listener) of the config `up` would find here, else
// http://127.0.0.1:12000. A client key, when the gateway needs one, comes from
// $SWITCHYARD_KEY: a key on the command line would show in `ps`.
import { LISTENER_DEFAULTS } from '../config/defaults.js';
import { loadConfigFile } from '../config/load.js';
import type { StatusSnapshot } from '../observability/statusSnapshot.js';
import { findConfigFile } from './loadConfig.js';
import { renderStatusTable } from './statusTable.js';

const local = (address: string): string => (address === '0.0.0.0' || address === '::' ? '127.0.0.1' : address);

export function statusUrl(given: string | undefined, env: NodeJS.ProcessEnv, cwd = process.cwd()): string {
  const explicit = given ?? env['SWITCHYARD_URL'];
  if (explicit !== undefined && explicit !== '') return explicit.replace(/\/+$/, '');
  const file = findConfigFile(undefined, cwd);
  const loaded = file === undefined ? undefined : loadConfigFile(file, env);
  if (loaded?.ok === true) {
    const { admin } = loaded.config.gateway;
    const { address, port } = admin ?? loaded.config.listener;
    return `http://${local(address)}:${port}`;
  }
  return `http://127.0.0.1:${LISTENER_DEFAULTS.port}`;
}

export async function printStatus(given: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const url = statusUrl(given, env);
  const key = env['SWITCHYARD_KEY'];
  let res: Response;
  try {
    res = await fetch(`${url}/status.json`, {
      headers: key === undefined || key === '' ? {} : { authorization: `Bearer ${key}` },
      signal: AbortSignal.timeout(5000),
    });
  } catch (err) {
    process.stderr.write(`cannot reach switchyard at ${url}: ${(err as Error).message}\n`);
    return 1;
  }
  if (res.status === 401) {
    process.stderr.write(`${url} needs a client key: set SWITCHYARD_KEY to one of switchyard.client_keys, or use the admin listener\n`);
    return 1;
  }
  if (!res.ok) {
    process.stderr.write(`${url}/status.json answered ${res.status}\n`);
    return 1;
  }
  process.stdout.write(renderStatusTable((await res.json()) as StatusSnapshot, url));
  return 0;
}
