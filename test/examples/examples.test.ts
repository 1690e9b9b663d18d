// Every config in examples/ loads with the real loader, with no errors and no
// warnings; the README's annotated config is one of them, byte for byte; and
// every complete config shown in the docs loads too. The list of examples is
// read from the folder, so a new file there is tested without touching this one.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadConfigFile, loadConfigText } from '../../src/config/load.js';
import { formatIssues } from '../../src/config/formatIssues.js';
import { REPO_ROOT } from '../support/paths.js';

const EXAMPLES_DIR = resolve(REPO_ROOT, 'examples');
const DOCS_DIR = resolve(REPO_ROOT, 'docs');
const README = resolve(REPO_ROOT, 'README.md');

/** The variables the examples refer to; client keys are long enough not to warn. */
const ENV: NodeJS.ProcessEnv = {
  OPENAI_API_KEY: 'sk-openai-example',
  ANTHROPIC_API_KEY: 'sk-ant-example',
  MISTRAL_API_KEY: 'sk-mistral-example',
  TEAM_SEARCH_KEY: 'team-search-key-0123456789',
  INTERN_KEY: 'intern-key-0123456789abcdef',
  REDIS_URL: 'redis://redis:6379/0',
};

/**
 * Warnings an example is documented to produce, by file name. None today. (Three
 * examples warned that their first-byte timeout could never fire before the
 * listener timeout, until the deadline split made it need not: issue 15.)
 */
const DOCUMENTED_WARNINGS: Readonly<Record<string, readonly string[]>> = {};

function exampleFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
    .sort();
}

/** Fenced yaml blocks preceded by `<!-- examples/NAME.yaml ... -->`: [file, block text with its final newline]. */
function mirroredBlocks(markdown: string): [string, string][] {
  const out: [string, string][] = [];
  for (const m of markdown.matchAll(/<!-- (examples\/[\w.-]+\.ya?ml)[^\n]*-->\n```yaml\n([\s\S]*?\n)```\n/g)) {
    out.push([m[1]!, m[2]!]);
  }
  return out;
}

describe('examples/', () => {
  const files = exampleFiles(EXAMPLES_DIR);

  it('holds the documented starting points', () => {
    for (const name of ['basic.yaml', 'failover.yaml', 'anthropic-fallback.yaml', 'self-hosted.yaml', 'streaming.yaml', 'hedging.yaml', 'client-keys.yaml']) {
      assert.ok(files.includes(name), `examples/${name} is missing`);
    }
  });

  for (const file of files) {
    it(`${file} loads with no errors and only its documented warnings`, () => {
      const path = join(EXAMPLES_DIR, file);
      const r = loadConfigFile(path, ENV);
      assert.ok(r.ok, r.ok ? '' : formatIssues(r.issues, `examples/${file}`));
      assert.deepEqual(
        r.warnings.map((w) => `${w.path}: ${w.message}`),
        DOCUMENTED_WARNINGS[file] ?? [],
        formatIssues(r.warnings, `examples/${file}`),
      );
    });

    it(`${file} opens with a comment saying what it is for`, () => {
      const text = readFileSync(join(EXAMPLES_DIR, file), 'utf8');
      assert.match(text, /^# \S/);
    });

    it(`${file} is linked from the README`, () => {
      assert.ok(readFileSync(README, 'utf8').includes(`](examples/${file})`), `README.md has no link to examples/${file}`);
    });
  }

  it('the README shows examples/failover.yaml byte for byte', () => {
    const blocks = mirroredBlocks(readFileSync(README, 'utf8'));
    assert.ok(
      blocks.some(([file]) => file === 'examples/failover.yaml'),
      'README.md needs a "<!-- examples/failover.yaml -->" line right before its annotated ```yaml block',
    );
    for (const [file, block] of blocks) {
      assert.equal(block, readFileSync(resolve(REPO_ROOT, file), 'utf8'), `the README's block differs from ${file}`);
    }
  });

  it('finds a mirrored block and ignores unmarked ones', () => {
    const md = 'text\n<!-- examples/a.yaml: kept equal -->\n```yaml\nversion: v0.4.0\n```\n\n```yaml\nother: 1\n```\n';
    assert.deepEqual(mirroredBlocks(md), [['examples/a.yaml', 'version: v0.4.0\n']]);
  });
});

describe('configs shown in the docs', () => {
  const pages = [README, ...readdirSync(DOCS_DIR).filter((f) => f.endsWith('.md')).map((f) => join(DOCS_DIR, f))];
  for (const page of pages) {
    const shown = page.slice(REPO_ROOT.length + 1);
    // Complete configs only: fragments (a single rule, a switchyard block) do not start with model_providers.
    const blocks = [...readFileSync(page, 'utf8').matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!).filter((y) => /^model_providers:/m.test(y));
    blocks.forEach((yaml, i) => {
      it(`${shown}: config ${i + 1} loads with no errors or warnings`, () => {
        const text = /^version:/m.test(yaml) ? yaml : `version: v0.4.0\n${yaml}`;
        const r = loadConfigText(text, shown, ENV);
        assert.ok(r.ok, r.ok ? '' : formatIssues(r.issues, shown));
        assert.deepEqual(r.warnings, [], formatIssues(r.warnings, shown));
      });
    });
  }
});
