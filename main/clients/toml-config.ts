/**
 * A client's TOML config file as the guard edits it: the server entries of one table
 * (`[mcp_servers]`), each with its exact text, and edits that replace an entry's text and leave
 * every other byte (comments, other tables, key order, odd spacing, CRLF) as it was. Values come
 * from smol-toml, positions from ./toml-scan.ts.
 *
 * An entry written as tables (`[mcp_servers.NAME]` and its `[mcp_servers.NAME.*]` subtables) is
 * the run of its tables that follow one another, from the first header to the last key's line:
 * comments above the first header and below the last key belong to the neighbours and stay put.
 * Wrap and restore replace that one run, so `edit({ restore: entry.text })` puts back every byte; a
 * launch subtable (`env`, headers) outside the run would survive the wrap, so such an entry is
 * left alone with a problem saying to move it. An entry written as an inline table is its `{…}`;
 * one written as dotted keys is listed with a problem and never edited.
 */
import { parse, TomlError } from 'smol-toml';
import { SERVER_ID_VARIABLE } from '../../shared/server-id.js';
import type { ConfigScope } from '../../shared/server-registry.js';
import {
  ConfigSyntaxError,
  EntryMissingError,
  type ClientEntry,
  type ConfigDocument,
  type EntryEdit,
  type EntryLaunch,
  type EntryLiteral,
  type UnguardedServer,
} from './client-adapter.js';
import { lineAndColumn } from './json-config.js';
import { scanToml, tomlBlocks, TomlScanError, type TomlBlock, type TomlKeyValue, type TomlNode, type TomlStatement } from './toml-scan.js';
import { headerText, tomlKey, wrappedInline, wrappedTables } from './toml-wrap.js';
import { replaceSpans } from './text-spans.js';

export type TomlClientRules = {
  /** The top-level table whose keys are the servers: `mcp_servers`. */
  container: string;
  /** An entry's value → the launch it describes, or why it describes none. */
  launchOf(value: unknown): EntryLaunch | { problem: string };
  /** Keys of an entry that say how to launch; wrap replaces them, and keeps every other key. */
  launchKeys: readonly string[];
  /** The key whose table is the environment (wrap writes the guard's there), and the keys of request-header tables. */
  envKey: string;
  headerKeys: readonly string[];
};

type InlineTable = Extract<TomlNode, { kind: 'table' }>;
type Placement =
  | { form: 'tables'; start: number; end: number; blocks: TomlBlock[]; main: TomlBlock | undefined; why?: string }
  | { form: 'inline'; start: number; end: number; node: InlineTable; why?: string }
  | { form: 'fixed'; text: string; why: string };
type Located = { entry: ClientEntry; placement: Placement };

export class TomlConfigDocument implements ConfigDocument {
  readonly unguarded: UnguardedServer[] = [];
  private readonly located: Located[] = [];

  constructor(
    private readonly file: string,
    private readonly text: string,
    where: { scope: ConfigScope; projectDir?: string },
    private readonly rules: TomlClientRules,
  ) {
    const servers = parseToml(file, text)[rules.container];
    if (servers === undefined) return;
    const statements = scanTomlIn(file, text);
    if (!isTable(servers)) {
      const first = statements.find((s) => (s.kind === 'header' ? s.path : [...s.table, ...s.entry.key])[0] === rules.container);
      const { line, column } = lineAndColumn(text, first?.lineStart ?? 0);
      throw new ConfigSyntaxError(file, line, column, `"${rules.container}" is not a table of servers`);
    }
    const blocks = tomlBlocks(statements);
    for (const [name, value] of Object.entries(servers)) {
      const placement = this.place(name, blocks);
      const entryText = placement.form === 'fixed' ? placement.text : this.text.slice(placement.start, placement.end);
      const env = isTable(value) ? value[rules.envKey] : undefined;
      const wrappedId = isTable(env) ? env[SERVER_ID_VARIABLE] : undefined;
      const entry: ClientEntry = {
        name,
        scope: where.scope,
        ...(where.projectDir !== undefined ? { projectDir: where.projectDir } : {}),
        address: [rules.container, name],
        text: entryText,
        launch: placement.why !== undefined ? { problem: placement.why } : rules.launchOf(value),
        ...(typeof wrappedId === 'string' ? { wrappedId } : {}),
        literals: this.literalsOf(placement),
      };
      this.located.push({ entry, placement });
    }
  }

  get entries(): readonly ClientEntry[] {
    return this.located.map((l) => l.entry);
  }

  edit(edits: readonly EntryEdit[]): string {
    const spans = edits.map((e) => {
      const found = this.located.find((l) => l.entry.address.length === e.address.length && l.entry.address.every((k, i) => k === e.address[i]));
      if (!found) throw new EntryMissingError(e.address);
      const { entry, placement } = found;
      if (placement.form === 'fixed') throw new Error(`${this.file}: the entry "${entry.name}" is ${placement.why}; the guard does not edit it`);
      if ('wrap' in e && 'problem' in entry.launch) throw new Error(`${this.file}: the entry "${entry.name}" cannot be wrapped: ${entry.launch.problem}`);
      const replacement =
        'restore' in e
          ? e.restore
          : placement.form === 'tables'
            ? wrappedTables(this.text, placement, e.wrap, this.rules)
            : wrappedInline(this.text, placement.node, e.wrap, this.rules);
      return { start: placement.start, end: placement.end, replacement };
    });
    return replaceSpans(this.text, spans);
  }

  /** Where the server `name` is written: its run of tables, its inline table, or somewhere the guard does not edit. */
  private place(name: string, blocks: readonly TomlBlock[]): Placement {
    const prefix = [this.rules.container, name];
    const isOwn = (b: TomlBlock | undefined) => b?.header !== undefined && startsWith(b.header.path, prefix);
    const definitions = blocks
      .filter((b) => !isOwn(b))
      .flatMap((b) => b.body.flatMap((s) => definitionsOf(prefix, [...(b.header?.path ?? []), ...s.entry.key], s.entry)));
    const dotted = definitions.find((d) => d.path.length > prefix.length);
    const texts = definitions.map((d) => this.text.slice(d.entry.start, d.entry.value.end));
    if (dotted) {
      const key = `${dotted.path.slice(1).map(tomlKey).join('.')} = …`;
      return {
        form: 'fixed',
        text: texts.join('\n'),
        why: `written as dotted keys (${key}); wrap it by hand or as a [${prefix.map(tomlKey).join('.')}] table`,
      };
    }
    const inline = definitions[0];
    if (inline) {
      const node = inline.entry.value;
      if (node.kind !== 'table') return { form: 'fixed', text: texts.join('\n'), why: 'not a table' };
      const why = node.comments
        ? `written as an inline table with comments in it; wrap it by hand or as a [${prefix.map(tomlKey).join('.')}] table`
        : undefined;
      return { form: 'inline', start: node.start, end: node.end, node, ...(why ? { why } : {}) };
    }
    const own = blocks.filter(isOwn);
    if (own.length === 0) return { form: 'fixed', text: '', why: 'written where the guard cannot find it' };
    const main = own.find((b) => b.header!.path.length === 2 && !b.header!.array);
    const anchor = blocks.indexOf(main ?? own[0]!);
    let first = anchor;
    let last = anchor;
    while (isOwn(blocks[first - 1])) first--;
    while (isOwn(blocks[last + 1])) last++;
    const run = blocks.slice(first, last + 1);
    const apart = own.find((b) => !run.includes(b) && this.isLaunch(b.header!.path[2]));
    const why = apart
      ? `its [${headerText(this.text, apart.header!)}] table is not next to its other tables; move it to just below [${prefix.map(tomlKey).join('.')}] and run again`
      : undefined;
    return { form: 'tables', start: run[0]!.start, end: run[run.length - 1]!.end, blocks: run, main, ...(why ? { why } : {}) };
  }

  /** The single-line string values of the entry's env and header tables, with their offsets in its text. */
  private literalsOf(placement: Placement): EntryLiteral[] {
    const out: EntryLiteral[] = [];
    const add = (key: readonly string[], node: TomlNode, base: number) => {
      const field = key[0] === this.rules.envKey ? 'env' : this.rules.headerKeys.includes(key[0] ?? '') ? 'header' : undefined;
      if (!field) return;
      const strings =
        key.length === 2
          ? [{ name: key[1]!, node }]
          : key.length === 1 && node.kind === 'table'
            ? node.entries.filter((e) => e.key.length === 1).map((e) => ({ name: e.key[0]!, node: e.value }))
            : [];
      for (const { name, node: value } of strings) {
        if (value.kind !== 'string') continue;
        out.push({
          field,
          key: name,
          value: value.value,
          start: value.start - base,
          end: value.end - base,
          quote: value.quote === 'basic' ? 'toml-basic' : 'toml-literal',
        });
      }
    };
    if (placement.form === 'inline') for (const e of placement.node.entries) add(e.key, e.value, placement.start);
    if (placement.form !== 'tables') return out;
    for (const block of placement.blocks) {
      const sub = block.header!.path.slice(2);
      if (sub.length > 1 || block.header!.array) continue;
      for (const s of block.body) add([...sub, ...s.entry.key], s.entry.value, placement.start);
    }
    return out;
  }

  private isLaunch(key: string | undefined): boolean {
    return key !== undefined && this.rules.launchKeys.includes(key);
  }
}

/** Statements that define (part of) the table at `prefix` from outside its own headers: `name = {…}`, `name.command = …`, `mcp_servers = { name = … }`. */
function definitionsOf(prefix: readonly string[], path: readonly string[], entry: TomlKeyValue): { path: readonly string[]; entry: TomlKeyValue }[] {
  if (startsWith(path, prefix)) return [{ path, entry }];
  if (!startsWith(prefix, path) || entry.value.kind !== 'table') return [];
  return entry.value.entries.flatMap((e) => definitionsOf(prefix, [...path, ...e.key], e));
}

function parseToml(file: string, text: string): Record<string, unknown> {
  try {
    return parse(text);
  } catch (error) {
    if (!(error instanceof TomlError)) throw error;
    // Only the first line: the rest quotes the file's lines, which may hold a secret.
    const problem = (error.message.split('\n')[0] ?? '').replace(/^Invalid TOML document: /, '');
    throw new ConfigSyntaxError(file, error.line, error.column, `not valid TOML (${problem})`);
  }
}

function scanTomlIn(file: string, text: string): TomlStatement[] {
  try {
    return scanToml(text);
  } catch (error) {
    if (!(error instanceof TomlScanError)) throw error;
    const { line, column } = lineAndColumn(text, error.offset);
    throw new ConfigSyntaxError(file, line, column, `the guard cannot follow this TOML to edit it (${error.message})`);
  }
}

function isTable(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date);
}

function startsWith(path: readonly string[], prefix: readonly string[]): boolean {
  return path.length >= prefix.length && prefix.every((k, i) => path[i] === k);
}
