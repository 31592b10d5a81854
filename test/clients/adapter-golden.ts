/**
 * The checks every JSON client adapter passes on its fixtures: literals sit at their quotes;
 * wrapping every runnable entry changes only those entries' bytes, keeps the client's own keys and
 * matches the stored golden file; restoring the entries gives back the file byte for byte.
 * Set UPDATE_GOLDEN=1 to rewrite the golden files after a deliberate change of layout.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { findNodeAtLocation, getNodeValue, parseTree, type ParseError } from 'jsonc-parser';
import { expect, it } from 'vitest';
import type { ClientAdapter, ClientEntry, ConfigLocation, EntryEdit } from '../../main/clients/client-adapter.js';
import { SERVER_ID_VARIABLE } from '../../shared/server-id.js';
import { repoRoot } from '../helpers/paths.js';

export const GUARD_COMMAND = '/opt/mcp-guard/bin/mcp-guard';
const fixtures = join(repoRoot, 'test', 'fixtures', 'clients');

export function fixtureText(path: string): string {
  return readFileSync(join(fixtures, path), 'utf8');
}

export type GoldenCase = {
  adapter: ClientAdapter;
  location: ConfigLocation;
  /** Under test/fixtures/clients/. */
  fixture: string;
  golden: string;
  /** The keys wrap replaces; every other key of an entry must survive it unchanged. */
  launchKeys: readonly string[];
  /** The `type` a wrapped entry carries (VS Code wants one), null for none ever (Gemini CLI), or undefined for `stdio` where the entry had a type. */
  wrappedType?: string | null;
};

export function runnable(entry: ClientEntry): boolean {
  return !('problem' in entry.launch);
}

export function serverId(adapter: ClientAdapter, entry: ClientEntry): string {
  return `${adapter.client}/${entry.scope}/${entry.name}`;
}

export function wrapEdits(adapter: ClientAdapter, entries: readonly ClientEntry[]): EntryEdit[] {
  return entries
    .filter(runnable)
    .map((e) => ({ address: e.address, wrap: { command: GUARD_COMMAND, args: ['run'], env: { [SERVER_ID_VARIABLE]: serverId(adapter, e) } } }));
}

/** Where each address's value is in the text, in order of position. */
function spans(text: string, addresses: readonly (readonly string[])[]): { start: number; end: number }[] {
  const root = parseTree(text, [], { allowTrailingComma: true });
  return addresses
    .map((a) => {
      const node = root && findNodeAtLocation(root, [...a]);
      if (!node) throw new Error(`no ${a.join('.')} in the text`);
      return { start: node.offset, end: node.offset + node.length };
    })
    .sort((x, y) => x.start - y.start);
}

function parsesAs(text: string, jsonc: boolean): unknown {
  if (!jsonc) return JSON.parse(text);
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true });
  expect(errors).toEqual([]);
  return root && getNodeValue(root);
}

/** The `it` blocks of the golden checks for one fixture. */
export function goldenChecks(c: GoldenCase, jsonc: boolean): void {
  const original = () => fixtureText(c.fixture);
  const read = () => c.adapter.read(c.location, original());
  const wrapped = () => read().edit(wrapEdits(c.adapter, read().entries));

  it('puts each literal exactly where its string is written in the entry', () => {
    const literals = read().entries.flatMap((e) => e.literals.map((l) => ({ e, l })));
    expect(literals.length).toBeGreaterThan(0);
    for (const { e, l } of literals) {
      const slice = e.text.slice(l.start, l.end);
      expect(JSON.parse(slice)).toBe(l.value);
      // A plain value is written the one way JSON.stringify writes it; one with escapes may be spelled otherwise.
      if (!JSON.stringify(l.value).includes('\\')) expect(slice).toBe(JSON.stringify(l.value));
    }
  });

  it('wrapping every runnable entry changes bytes only inside those entries', () => {
    const before = read();
    const addresses = before.entries.filter(runnable).map((e) => e.address);
    expect(addresses.length).toBeGreaterThan(0);
    const after = wrapped();
    parsesAs(after, jsonc);
    const was = spans(original(), addresses);
    const now = spans(after, addresses);
    const gaps = (text: string, s: { start: number; end: number }[]) => [
      text.slice(0, s[0]!.start),
      ...s.map((x, i) => text.slice(x.end, s[i + 1]?.start ?? text.length)),
    ];
    expect(gaps(after, now)).toEqual(gaps(original(), was));
  });

  it('each wrapped entry launches the guard with its server id and keeps the client’s own keys', () => {
    const before = read().entries;
    const after = c.adapter.read(c.location, wrapped()).entries;
    expect(after.map((e) => e.name)).toEqual(before.map((e) => e.name));
    for (const [i, was] of before.entries()) {
      const now = after[i]!;
      if (!runnable(was)) {
        expect(now.text).toBe(was.text);
        expect(now.wrappedId).toBeUndefined();
        continue;
      }
      expect(now.wrappedId).toBe(serverId(c.adapter, was));
      expect(now.launch).toEqual({ transport: 'stdio', command: GUARD_COMMAND, args: ['run'], env: { [SERVER_ID_VARIABLE]: serverId(c.adapter, was) } });
      const oldValue = parsesAs(was.text, jsonc) as Record<string, unknown>;
      const newValue = parsesAs(now.text, jsonc) as Record<string, unknown>;
      const kept = Object.keys(oldValue).filter((k) => !c.launchKeys.includes(k));
      for (const key of kept) expect(newValue[key], `${was.name}.${key}`).toEqual(oldValue[key]);
      expect(Object.keys(newValue).sort()).toEqual([...kept, ...(newValue['type'] !== undefined ? ['type'] : []), 'command', 'args', 'env'].sort());
      if (c.wrappedType === null) expect(newValue['type']).toBeUndefined();
      else if (c.wrappedType !== undefined) expect(newValue['type']).toBe(c.wrappedType);
      else expect(newValue['type']).toBe(oldValue['type'] === undefined ? undefined : 'stdio');
    }
  });

  it('the wrapped text is the stored golden file', () => {
    const golden = join(fixtures, c.golden);
    if (process.env['UPDATE_GOLDEN'] === '1') {
      mkdirSync(dirname(golden), { recursive: true });
      writeFileSync(golden, wrapped());
    }
    expect(wrapped()).toBe(readFileSync(golden, 'utf8'));
  });

  it('restoring each wrapped entry’s original text gives back the file byte for byte', () => {
    const before = read().entries;
    const again = c.adapter.read(c.location, wrapped()).edit(before.filter(runnable).map((e) => ({ address: e.address, restore: e.text })));
    expect(again).toBe(original());
  });
}

/** A ClientEnvironment over an in-memory file map. */
export function machineOf(
  platform: NodeJS.Platform,
  home: string,
  files: Readonly<Record<string, string>> = {},
  env: Readonly<Record<string, string | undefined>> = {},
  projects: readonly string[] = [],
) {
  return { home, platform, env, projects, readText: (path: string) => files[path] };
}
