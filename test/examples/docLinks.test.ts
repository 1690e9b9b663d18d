// Relative links in the README, ARCHITECTURE.md and docs/ point at files that
// exist, and their #anchors at headings that exist (GitHub's heading slugs).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { REPO_ROOT } from '../support/paths.js';

const withoutCode = (markdown: string): string => markdown.replace(/```[\s\S]*?```/g, '');

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
export function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}

function anchorsOf(file: string): Set<string> {
  return new Set([...withoutCode(readFileSync(file, 'utf8')).matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1]!)));
}

const DOCS = resolve(REPO_ROOT, 'docs');
const PAGES = [
  resolve(REPO_ROOT, 'README.md'),
  resolve(REPO_ROOT, 'ARCHITECTURE.md'),
  ...readdirSync(DOCS)
    .filter((f) => f.endsWith('.md'))
    .map((f) => join(DOCS, f)),
];

describe('documentation links', () => {
  it('slugs headings as GitHub does', () => {
    assert.equal(slug("Switchyard's additions to the format"), 'switchyards-additions-to-the-format');
    assert.equal(slug('`same_model`: wait and try the same model again'), 'same_model-wait-and-try-the-same-model-again');
    assert.equal(slug('retry_policy fields'), 'retry_policy-fields');
  });

  for (const page of PAGES) {
    const shown = page.slice(REPO_ROOT.length + 1);
    it(`${shown}: every relative link resolves`, () => {
      const broken: string[] = [];
      for (const m of withoutCode(readFileSync(page, 'utf8')).matchAll(/\]\(([^)\s]+)\)/g)) {
        const link = m[1]!;
        if (/^[a-z]+:/i.test(link)) continue;
        const [path = '', anchor] = link.split('#');
        const target = path === '' ? page : resolve(dirname(page), path);
        if (!existsSync(target)) broken.push(`${link}: no such file`);
        else if (anchor !== undefined && (statSync(target).isDirectory() || !anchorsOf(target).has(anchor))) broken.push(`${link}: no such heading`);
      }
      assert.deepEqual(broken, []);
    });
  }
});
