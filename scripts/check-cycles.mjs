#!/usr/bin/env node
// Fails when modules under src/ import each other in a circle, type-only
// imports included, and when its folders do: the folders follow a request's
// journey, so an import may only point further along it (or down to shared
// vocabulary), never back. A cycle means two parts cannot be understood,
// tested or moved apart.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(process.argv[2] ?? 'src');

function sources(dir) {
  const out = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...sources(path));
    else if (entry.endsWith('.ts') && !entry.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

// Static imports and re-exports, `import type` included; dynamic import() is a deliberate late binding.
const SPEC = /^\s*(?:import|export)\b[^'"]*?\bfrom\s*['"](\.{1,2}\/[^'"]+)['"]|^\s*import\s*['"](\.{1,2}\/[^'"]+)['"]/gm;

const graph = new Map();
for (const file of sources(ROOT)) {
  const deps = new Set();
  for (const m of readFileSync(file, 'utf8').matchAll(SPEC)) {
    const spec = m[1] ?? m[2];
    deps.add(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
  }
  graph.set(file, deps);
}

/** Tarjan's strongly connected components: every component larger than one node (or a self-loop) is a cycle. */
function cyclesOf(g) {
  let index = 0;
  const stack = [];
  const info = new Map();
  const found = [];
  const visit = (v) => {
    info.set(v, { index, low: index, onStack: true });
    index++;
    stack.push(v);
    for (const w of g.get(v) ?? []) {
      if (!g.has(w)) continue;
      if (!info.has(w)) {
        visit(w);
        info.get(v).low = Math.min(info.get(v).low, info.get(w).low);
      } else if (info.get(w).onStack) {
        info.get(v).low = Math.min(info.get(v).low, info.get(w).index);
      }
    }
    if (info.get(v).low === info.get(v).index) {
      const component = [];
      let w;
      do {
        w = stack.pop();
        info.get(w).onStack = false;
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || g.get(v).has(v)) found.push(component);
    }
  };
  for (const v of g.keys()) if (!info.has(v)) visit(v);
  return found;
}

const rel = (p) => relative(process.cwd(), p);
const folderOf = (p) => relative(ROOT, p).split(/[\\/]/)[0];
const folders = new Map();
const why = new Map();
for (const [file, deps] of graph) {
  const from = folderOf(file);
  if (!folders.has(from)) folders.set(from, new Set());
  for (const dep of deps) {
    const to = folderOf(dep);
    if (to === from || !graph.has(dep)) continue;
    folders.get(from).add(to);
    if (!why.has(`${from}>${to}`)) why.set(`${from}>${to}`, `${rel(file)} -> ${rel(dep)}`);
  }
}

let failed = false;
for (const c of cyclesOf(graph)) {
  failed = true;
  console.error(`import cycle among files: ${c.map(rel).sort().join(', ')}`);
  for (const f of c) console.error(`    ${rel(f)} -> ${[...graph.get(f)].filter((d) => c.includes(d)).map(rel).join(', ')}`);
}
for (const c of cyclesOf(folders)) {
  failed = true;
  console.error(`import cycle among folders: ${c.sort().join(', ')}`);
  for (const from of c) {
    for (const to of folders.get(from)) if (c.includes(to)) console.error(`    ${from} -> ${to} (${why.get(`${from}>${to}`)})`);
  }
}
if (failed) process.exit(1);
console.log(`no import cycles among ${graph.size} modules in ${folders.size} folders of ${rel(ROOT)}`);
