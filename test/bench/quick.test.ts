// `npm run bench:quick` in CI: every system under test (direct, floor,
// switchyard, switchyard-failover, Portkey and its fallback, and the
// /v1/responses systems) must answer correctly. No timing is asserted here; timing belongs to `npm run bench`.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/paths.js';

describe('bench:quick smoke run', () => {
  it('starts every system and each one answers correctly', async () => {
    {
      const child = spawn(process.execPath, [join(REPO_ROOT, 'dist/bench/run.js'), '--quick'], {
        cwd: REPO_ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (c: Buffer) => (output += c.toString()));
      child.stderr.on('data', (c: Buffer) => (output += c.toString()));
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      assert.equal(code, 0, output);
      const responses = ['direct-responses', 'switchyard-responses', 'switchyard-responses-state', 'switchyard-responses-translated'];
      for (const system of ['direct', 'floor', 'switchyard', 'switchyard-failover', 'portkey', 'portkey-fallback', ...responses]) {
        assert.match(output, new RegExp(`^${system}: answered correctly`, 'm'), output);
      }
      assert.match(output, /0 broken/);
    }
  });
});
