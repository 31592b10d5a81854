import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain ES module of the lint config, without type declarations
import { LAYERS, layersPlugin } from '../../build/eslint-layers.js';
import { repoRoot } from '../helpers/paths.js';

const layers = LAYERS as Record<string, string[]>;

/** ESLint with only the layer rule, as eslint.config.js sets it for main/. */
function layerLint(): ESLint {
  return new ESLint({
    cwd: repoRoot,
    overrideConfigFile: true,
    overrideConfig: [
      {
        files: ['**/*.ts'],
        languageOptions: { parser: tseslint.parser },
        plugins: { guard: layersPlugin },
        rules: { 'guard/layers': ['error', { root: repoRoot }] },
      },
    ],
  });
}

function mainFiles(dir = join(repoRoot, 'main')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? mainFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

describe('the layers of main/, checked by lint', () => {
  it('refuses every kind of import that runs up the table, naming both folders and what is allowed', async () => {
    const text = readFileSync(join(repoRoot, 'test', 'fixtures', 'lint', 'upward-imports.ts.txt'), 'utf8');
    const [result] = await layerLint().lintText(text, { filePath: join(repoRoot, 'main', 'policy', 'imports-of-every-kind.ts') });
    const messages = result!.messages.map((m) => m.message);
    expect(messages).toHaveLength(5);
    for (const to of ['proxy', 'store', 'audit', 'service', 'cli']) {
      expect(messages).toContain(
        `main/policy may not import main/${to}: it may import only shared/, common/ (layer table in build/eslint-layers.js, DESIGN.md "Rules of the house"). Move the shared piece down, or pass it in from the composition root.`,
      );
    }
  });

  it('is on, at error, for the files of main/ in the project config', async () => {
    const config = (await new ESLint({ cwd: repoRoot }).calculateConfigForFile(join(repoRoot, 'main', 'proxy', 'guard-proxy.ts'))) as {
      rules: Record<string, unknown[]>;
    };
    expect(config.rules['guard/layers']?.[0]).toBe(2);
  });

  it('passes on the tree as it stands, and knows every folder of main/', async () => {
    const results = await layerLint().lintFiles(['main/**/*.ts']);
    const problems = results.flatMap((r) =>
      r.messages.filter((m) => m.ruleId === 'guard/layers' || m.fatal).map((m) => `${relative(repoRoot, r.filePath)}: ${m.message}`),
    );
    expect(problems).toEqual([]);
    expect(results.length).toBeGreaterThan(100);
    const folders = readdirSync(join(repoRoot, 'main'), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
    for (const folder of folders) expect(Object.keys(layers)).toContain(folder);
  });

  it('has no cycle: no folder may import one that may import it, and no file imports itself round', () => {
    const reaches = (from: string, to: string, seen = new Set<string>()): boolean =>
      (layers[from] ?? []).some((next) => next === to || (!seen.has(next) && (seen.add(next), reaches(next, to, seen))));
    for (const folder of Object.keys(layers)) expect(reaches(folder, folder), folder).toBe(false);

    // File level, runtime imports only (`import type` is erased and cannot cycle at run time).
    const graph = new Map<string, string[]>();
    for (const file of mainFiles()) {
      const text = readFileSync(file, 'utf8');
      const targets = [...text.matchAll(/^import (?!type )[^;]*?from '(\.{1,2}\/[^']+)'/gms)].map((m) => resolve(dirname(file), m[1]!).replace(/\.js$/, '.ts'));
      graph.set(file, targets);
    }
    const state = new Map<string, 'open' | 'done'>();
    const cycle: string[] = [];
    const visit = (file: string, path: string[]): boolean => {
      if (state.get(file) === 'done') return false;
      if (state.get(file) === 'open') return cycle.push(...path.slice(path.indexOf(file)), file) > 0;
      state.set(file, 'open');
      const found = (graph.get(file) ?? []).some((next) => visit(next, [...path, file]));
      state.set(file, 'done');
      return found;
    };
    expect([...graph.values()].flat().length).toBeGreaterThan(150); // the graph was read
    for (const file of graph.keys()) if (visit(file, [])) break;
    expect(cycle.map((f) => relative(repoRoot, f))).toEqual([]);
  });
});
