// A real PostgreSQL cluster (Debian's package) for one test file: initdb in a
// temporary directory, then `postgres` on a free port of 127.0.0.1, stopped
// and removed by the test. Nothing relies on a system service. initdb refuses
// to run as root, so as root the cluster belongs to the `postgres` system user
// (which Debian's package creates) and its commands run as that user.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './process.js';

export interface PostgresServer {
  readonly port: number;
  /** postgres://switchyard:…@127.0.0.1:port/switchyard */
  readonly url: string;
  /** Stops the server (fast shutdown) and waits for it to exit. */
  stop(): Promise<void>;
  /** Starts it again on the same port, with its data. */
  start(): Promise<void>;
  dispose(): Promise<void>;
}

const PASSWORD = 'sw-test-pass';

/** The newest installed major version's binaries, or undefined when PostgreSQL is not installed. */
export function postgresBin(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'postgres'))).sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : join(root, versions[0], 'bin');
}

interface RunAs {
  readonly uid: number | undefined;
  readonly gid: number | undefined;
}

function postgresUser(): RunAs {
  if (process.getuid?.() !== 0) return { uid: undefined, gid: undefined };
  const id = (flag: string): number => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
  return { uid: id('-u'), gid: id('-g') };
}

export async function startPostgres(): Promise<PostgresServer> {
  const bin = postgresBin();
  if (bin === undefined) throw new Error('PostgreSQL is not installed (.ci/run installs Debian\'s postgresql package)');
  const as = postgresUser();
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-pg-'));
  const data = join(dir, 'data');
  if (as.uid !== undefined && as.gid !== undefined) {
    chownSync(dir, as.uid, as.gid);
    chmodSync(dir, 0o700);
  }
  const opts = { uid: as.uid, gid: as.gid, encoding: 'utf8' as const, env: { PATH: process.env['PATH'], LC_ALL: 'C.UTF-8' } };
  const init = spawnSync(join(bin, 'initdb'), ['-D', data, '-U', 'switchyard', '--auth=trust', '-E', 'UTF8', '--no-sync'], opts);
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr}`);
  const port = await freePort();
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  const start = async (): Promise<void> => {
    const proc = spawn(join(bin, 'postgres'), ['-D', data, '-p', String(port), '-h', '127.0.0.1', '-k', dir, '-c', 'fsync=off', '-c', 'synchronous_commit=off'], {
      uid: as.uid,
      gid: as.gid,
      env: opts.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    exited = new Promise((resolve) => proc.once('exit', () => { resolve(); }));
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => { reject(new Error(`postgres did not start on ${port}: ${output}`)); }, 20_000);
      const onData = (chunk: Buffer): void => {
        output += chunk.toString();
        if (output.includes('ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      };
      proc.stdout.on('data', onData);
      proc.stderr.on('data', onData);
      proc.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`postgres exited with ${code}: ${output}`));
      });
    });
  };

  const stop = async (): Promise<void> => {
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGINT'); // fast shutdown: disconnects clients
    await exited;
  };

  await start();
  const psql = spawnSync(join(bin, 'psql'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'switchyard', '-d', 'postgres', '-c', `ALTER USER switchyard PASSWORD '${PASSWORD}'`, '-c', 'CREATE DATABASE switchyard'], opts);
  if (psql.status !== 0) {
    await stop();
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`psql failed: ${psql.stderr}`);
  }
  return {
    port,
    url: `postgres://switchyard:${PASSWORD}@127.0.0.1:${port}/switchyard`,
    stop,
    start,
    dispose: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
