/**
 * A TOML server entry's text rewritten to launch the guard (./toml-config.ts decides where the
 * entry is; this writes its new text). Only the launch keys change: every other key, subtable and
 * comment line is copied byte for byte, so a diff of the file shows just the launch.
 */
import type { WrappedLaunch } from './client-adapter.js';
import type { TomlBlock, TomlHeader, TomlNode } from './toml-scan.js';

/** What wrap needs of the client's rules: which keys launch, and which holds the environment. */
export type WrapKeys = { launchKeys: readonly string[]; envKey: string };

/** An entry's run of tables: `[NAME]` (`main`) and the subtables next to it, from the first header to the last key's line. */
export type TableRun = { start: number; end: number; blocks: readonly TomlBlock[]; main: TomlBlock | undefined };

/**
 * The run rewritten: the launch keys of `[NAME]` give way to `command` and `args` where the first
 * of them was; the env goes where the entry wrote it (inline when `[NAME]` had `env = {…}` or
 * `env.K = …`, else a `[NAME.env]` table in place of the launch subtable, or after the run when it
 * had none). The new text begins and ends where the run did (a header, a key's line), so reading
 * the wrapped file finds the same run again and restore puts the original back exactly.
 */
export function wrappedTables(t: string, run: TableRun, wrap: WrappedLaunch, keys: WrapKeys): string {
  const { main } = run;
  const header = main?.header;
  if (!main || !header) throw new Error('the entry has no table of its own to wrap');
  const isLaunch = (key: string | undefined) => key !== undefined && keys.launchKeys.includes(key);
  const headerLine = t.slice(header.lineStart, header.lineEnd);
  const eol = headerLine.endsWith('\r\n') || (!headerLine.endsWith('\n') && t.includes('\r\n')) ? '\r\n' : '\n';
  const line = (s: string) => (s.endsWith('\n') ? s : s + eol);
  const firstLaunch = main.body.find((s) => isLaunch(s.entry.key[0]));
  const indent = firstLaunch ? t.slice(firstLaunch.lineStart, firstLaunch.entry.start) : '';
  const envInline = main.body.some((s) => s.entry.key[0] === keys.envKey);
  const launch = launchEntries(wrap, envInline ? keys.envKey : undefined)
    .map((l) => indent + l + eol)
    .join('');
  const envTable = (headerIndent: string, keyIndent: string) =>
    `${headerIndent}[${headerText(t, header)}.${tomlKey(keys.envKey)}]${eol}` +
    Object.entries(wrap.env)
      .map(([k, v]) => `${keyIndent}${tomlKey(k)} = ${tomlString(v)}${eol}`)
      .join('');
  // A runnable entry has at most one launch subtable: `env` (stdio) or `http_headers` (remote).
  const replaced = run.blocks.find((b) => b !== main && b.header?.path.length === 3 && isLaunch(b.header.path[2]));
  let out = '';
  let cursor = run.start;
  for (const block of run.blocks) {
    out += t.slice(cursor, block.start);
    cursor = block.end;
    if (block === replaced) {
      const first = block.body[0];
      if (!envInline) out += envTable(t.slice(block.start, block.header!.open), first ? t.slice(first.lineStart, first.entry.start) : indent);
    } else if (block !== main) {
      out += line(t.slice(block.start, block.end));
    } else {
      out += line(t.slice(block.start, header.lineEnd));
      let at = header.lineEnd;
      let placed = false;
      for (const s of block.body) {
        out += t.slice(at, s.lineStart);
        at = s.lineEnd;
        if (!isLaunch(s.entry.key[0])) out += line(t.slice(s.lineStart, s.lineEnd));
        else if (!placed) out += launch;
        placed ||= isLaunch(s.entry.key[0]);
      }
    }
  }
  if (!envInline && !replaced) out += eol + envTable(t.slice(header.lineStart, header.open), indent);
  return t.slice(run.start, run.end).endsWith('\n') ? out : out.slice(0, -eol.length);
}

/** `{ command = "…", args = ["run"], env = { … }, <every other key as written> }`. */
export function wrappedInline(t: string, node: Extract<TomlNode, { kind: 'table' }>, wrap: WrappedLaunch, keys: WrapKeys): string {
  const parts: string[] = [];
  let placed = false;
  for (const e of node.entries) {
    const launch = e.key[0] !== undefined && keys.launchKeys.includes(e.key[0]);
    if (!launch) parts.push(t.slice(e.start, e.value.end));
    else if (!placed) parts.push(...launchEntries(wrap, keys.envKey));
    placed ||= launch;
  }
  return `{ ${parts.join(', ')} }`;
}

function launchEntries(wrap: WrappedLaunch, envKey: string | undefined): string[] {
  const out = [`command = ${tomlString(wrap.command)}`, `args = [${wrap.args.map(tomlString).join(', ')}]`];
  if (envKey !== undefined) out.push(`${tomlKey(envKey)} = ${inlineTable(wrap.env)}`);
  return out;
}

/** `mcp_servers."my server"`: the header's key as the file wrote it. */
export function headerText(t: string, header: TomlHeader): string {
  return t.slice(header.open + (header.array ? 2 : 1), header.close).trim();
}

/** A TOML basic string: quotes, backslashes and control characters escaped, everything else as is. */
export function tomlString(value: string): string {
  const short: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\b': '\\b', '\t': '\\t', '\n': '\\n', '\f': '\\f', '\r': '\\r' };
  let out = '"';
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    out += short[ch] ?? (code < 0x20 || code === 0x7f ? `\\u${code.toString(16).padStart(4, '0')}` : ch);
  }
  return out + '"';
}

/** A key bare when TOML allows it, else quoted. */
export function tomlKey(key: string): string {
  return /^[A-Za-z0-9_-]+$/.test(key) ? key : tomlString(key);
}

function inlineTable(values: Readonly<Record<string, string>>): string {
  const entries = Object.entries(values).map(([k, v]) => `${tomlKey(k)} = ${tomlString(v)}`);
  return entries.length === 0 ? '{}' : `{ ${entries.join(', ')} }`;
}
