/**
 * A client's JSON (or JSONC) config file as the guard edits it: the server entries under the
 * containers the adapter names, each with its exact text, and edits that replace an entry's text
 * and leave every other byte (comments, trailing commas, key order, odd spacing) as it was. The
 * JSON adapters (Claude Code, Claude Desktop, Cursor, VS Code, Windsurf) are this plus their rules.
 */
import { findNodeAtLocation, getNodeValue, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
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
  type WrappedLaunch,
} from './client-adapter.js';
import { replaceSpans } from './text-spans.js';

/** Where entries sit: `["mcpServers"]`, `["projects", "/abs/dir", "mcpServers"]`; and the scope they have there. */
export type EntryContainer = { path: readonly string[]; scope: ConfigScope; projectDir?: string };

export type JsonClientRules = {
  /** Parse comments and trailing commas (VS Code, Zed); otherwise they are syntax errors. */
  jsonc: boolean;
  /** An entry's value → the launch it describes, or why it describes none. */
  launchOf(value: Record<string, unknown>): EntryLaunch | { problem: string };
  /** Keys of an entry that say how to launch; wrap replaces them, and keeps every other key. */
  launchKeys: readonly string[];
  /** Object keys whose string values are environment variables, and request headers. */
  envKeys: readonly string[];
  headerKeys: readonly string[];
  /**
   * The value of `type` in a wrapped entry, when the client wants one (VS Code) or the entry had one;
   * `null` for a client whose `type` has no stdio value (Gemini CLI: `sse` or `http`), where a wrapped entry has none.
   */
  stdioType?: string | null;
};

export class JsonConfigDocument implements ConfigDocument {
  readonly entries: ClientEntry[] = [];
  readonly unguarded: UnguardedServer[] = [];
  private readonly root: Node | undefined;

  constructor(
    file: string,
    private readonly text: string,
    containers: readonly EntryContainer[],
    private readonly rules: JsonClientRules,
  ) {
    this.root = parseJson(file, text, rules.jsonc);
    for (const container of containers) {
      const node = this.root && findNodeAtLocation(this.root, [...container.path]);
      if (node?.type !== 'object') continue;
      for (const property of node.children ?? []) {
        const [keyNode, valueNode] = property.children ?? [];
        if (!keyNode || !valueNode) continue;
        this.entries.push(this.entryOf(String(keyNode.value), valueNode, container));
      }
    }
  }

  edit(edits: readonly EntryEdit[]): string {
    const spans = edits.map((e) => {
      const node = this.root && findNodeAtLocation(this.root, [...e.address]);
      if (!node) throw new EntryMissingError(e.address);
      const replacement = 'restore' in e ? e.restore : this.wrappedText(node, e.wrap);
      return { start: node.offset, end: node.offset + node.length, replacement };
    });
    return replaceSpans(this.text, spans);
  }

  private entryOf(name: string, node: Node, container: EntryContainer): ClientEntry {
    const text = this.text.slice(node.offset, node.offset + node.length);
    const address = [...container.path, name];
    const base = { name, scope: container.scope, address, text, ...(container.projectDir !== undefined ? { projectDir: container.projectDir } : {}) };
    const value: unknown = getNodeValue(node);
    if (node.type !== 'object' || value === null || typeof value !== 'object') {
      return { ...base, launch: { problem: 'the entry is not an object' }, literals: [] };
    }
    const record = value as Record<string, unknown>;
    const env = record['env'];
    const wrappedId = env && typeof env === 'object' ? (env as Record<string, unknown>)[SERVER_ID_VARIABLE] : undefined;
    return {
      ...base,
      launch: this.rules.launchOf(record),
      literals: this.literalsOf(node),
      ...(typeof wrappedId === 'string' ? { wrappedId } : {}),
    };
  }

  /** The string values of the entry's env and header objects, with their offsets in its text. */
  private literalsOf(entry: Node): EntryLiteral[] {
    const out: EntryLiteral[] = [];
    for (const property of entry.children ?? []) {
      const [keyNode, valueNode] = property.children ?? [];
      const key = String(keyNode?.value);
      const field = this.rules.envKeys.includes(key) ? 'env' : this.rules.headerKeys.includes(key) ? 'header' : undefined;
      if (!field || valueNode?.type !== 'object') continue;
      for (const inner of valueNode.children ?? []) {
        const [k, v] = inner.children ?? [];
        if (!k || v?.type !== 'string') continue;
        out.push({
          field,
          key: String(k.value),
          value: String(v.value),
          start: v.offset - entry.offset,
          end: v.offset + v.length - entry.offset,
          quote: 'json',
        });
      }
    }
    return out;
  }

  /** The entry rewritten to launch the guard: the launch keys replaced where the first of them was, every other key kept. */
  private wrappedText(node: Node, wrap: WrappedLaunch): string {
    const value = getNodeValue(node) as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    let placed = false;
    const place = () => {
      if (placed) return;
      placed = true;
      const type = this.rules.stdioType === null ? undefined : (this.rules.stdioType ?? (typeof value['type'] === 'string' ? 'stdio' : undefined));
      if (type !== undefined) out['type'] = type;
      out['command'] = wrap.command;
      out['args'] = [...wrap.args];
      out['env'] = { ...wrap.env };
    };
    for (const [key, v] of Object.entries(value)) {
      if (this.rules.launchKeys.includes(key) || this.rules.envKeys.includes(key)) place();
      else out[key] = v;
    }
    place();
    return formatLike(out, this.text, node);
  }
}

function parseJson(file: string, text: string, jsonc: boolean): Node | undefined {
  if (text.trim() === '') return undefined;
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: jsonc, disallowComments: !jsonc, allowEmptyContent: true });
  const first = errors[0];
  if (first) {
    const { line, column } = lineAndColumn(text, first.offset);
    throw new ConfigSyntaxError(file, line, column, `not valid ${jsonc ? 'JSONC' : 'JSON'} (${printParseErrorCode(first.error)})`);
  }
  if (root && root.type !== 'object') throw new ConfigSyntaxError(file, 1, 1, 'expected a JSON object at the top level');
  return root;
}

export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * `value` as JSON laid out like the file: on one line where the entry was on one line, else
 * indented with the file's unit from the column of the line the entry starts on, its lines ending
 * as the entry's did (CRLF or LF).
 */
function formatLike(value: unknown, text: string, node: Node): string {
  const original = text.slice(node.offset, node.offset + node.length);
  if (!original.includes('\n')) return oneLine(value);
  const lineStart = text.lastIndexOf('\n', node.offset - 1) + 1;
  const indent = /^[ \t]*/.exec(text.slice(lineStart))?.[0] ?? '';
  const unit = /\n([ \t]+)\S/.exec(text)?.[1] ?? '  ';
  const step = unit.startsWith('\t') ? '\t' : ' '.repeat(Math.min(unit.length, 8));
  const eol = original.includes('\r\n') ? '\r\n' : '\n';
  return multiLine(value, step, eol + indent);
}

/** Objects one key per line; a short list of plain values on one line (`"args": ["run"]`), as people write them. */
function multiLine(value: unknown, step: string, newline: string): string {
  if (Array.isArray(value)) {
    const inline = oneLine(value);
    if (value.every((v) => v === null || typeof v !== 'object') && inline.length <= 80) return inline;
    if (value.length === 0) return '[]';
    return `[${value.map((v) => newline + step + multiLine(v, step, newline + step)).join(',')}${newline}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) return '{}';
    return `{${entries.map(([k, v]) => `${newline}${step}${JSON.stringify(k)}: ${multiLine(v, step, newline + step)}`).join(',')}${newline}}`;
  }
  return JSON.stringify(value);
}

/** `{"command": "x", "args": ["run"]}`: JSON on one line, spaced as people write it. */
function oneLine(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(oneLine).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}: ${oneLine(v)}`)
      .join(', ')}}`;
  }
  return JSON.stringify(value);
}
