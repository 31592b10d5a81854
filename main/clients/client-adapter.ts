/**
 * What the guard needs of an MCP client's configuration: where its files are (discover), the server
 * entries in one (read), that file's text with some entries replaced (write), and which paths to
 * watch. One adapter per client, in this folder; the wrap and unwrap logic (./wrap-plan.ts) knows
 * only this interface.
 */
import type { ClientName, ConfigScope } from '../../shared/server-registry.js';

/** One file a client reads servers from. */
export type ConfigLocation = {
  client: ClientName;
  /** The file's scope; one file may also hold entries of another scope (Claude Code's ~/.claude.json holds `local` ones). */
  scope: ConfigScope;
  path: string;
  /** The project a `project` file belongs to. */
  projectDir?: string;
};

/** How a server entry launches its server, in the client's own terms, normalised. */
export type EntryLaunch =
  | { transport: 'stdio'; command: string; args: string[]; env: Record<string, string>; cwd?: string }
  | { transport: 'http' | 'sse'; url: string; headers: Record<string, string> };

/** One server entry of a config file. */
export type ClientEntry = {
  /** The entry's key: the server's name, as the client and policy call it. */
  name: string;
  scope: ConfigScope;
  projectDir?: string;
  /** Where it sits in the document, in the adapter's terms (a JSON path, a TOML table path); edits find it again by this. */
  address: readonly string[];
  /** The entry's own text, exactly as written (for a TOML table: its header and body). */
  text: string;
  /** The launch it describes, or why it describes none the guard can run (then it is left alone, and listed). */
  launch: EntryLaunch | { problem: string };
  /** The entry is already guard-wrapped: the server id in its environment. */
  wrappedId?: string;
  /**
   * String values in the entry's text: each secret that moves to the keychain leaves a hole where its
   * literal was (`start`, `end` are offsets into `text`, around the quotes).
   */
  literals: readonly EntryLiteral[];
};

/** A string literal of an entry: which launch field it is, where it is in the entry's text, how it is quoted. */
export type EntryLiteral = {
  field: 'env' | 'header';
  key: string;
  value: string;
  start: number;
  end: number;
  quote: 'json' | 'toml-basic' | 'toml-literal';
};

/** A server the client runs from somewhere the guard cannot rewrite (a plugin, a connector, an extension). */
export type UnguardedServer = { client: ClientName; name: string; where: string; why: string };

/** What the guard writes in place of an entry: one canonical command for every wrapped server. */
export type WrappedLaunch = { command: string; args: readonly ['run']; env: Readonly<Record<string, string>> };

/** An edit of one entry: launch the guard instead, or put back this text (unwrap). */
export type EntryEdit = { address: readonly string[]; wrap: WrappedLaunch } | { address: readonly string[]; restore: string };

/** A parsed config file. */
export interface ConfigDocument {
  readonly entries: readonly ClientEntry[];
  /** Servers this file mentions that run from somewhere else (a Zed extension, a disabled-by-design entry kind). */
  readonly unguarded: readonly UnguardedServer[];
  /**
   * The file's text with these entries edited and every other byte as it was. An address that is no
   * longer there throws EntryMissingError (the file changed meanwhile).
   */
  edit(edits: readonly EntryEdit[]): string;
}

/** The machine as an adapter may see it: no I/O beyond what this hands it. */
export type ClientEnvironment = {
  home: string;
  platform: NodeJS.Platform;
  env: Readonly<Record<string, string | undefined>>;
  /** Project directories to look in for project files (Claude Code's known projects, the cwd, --project). */
  projects: readonly string[];
  /** A file's text, or undefined when it does not exist. */
  readText(path: string): string | undefined;
};

export interface ClientAdapter {
  readonly client: ClientName;
  /** The files this client may read servers from on this machine, existing or not. */
  discover(machine: ClientEnvironment): ConfigLocation[];
  /** Parses one file's text; throws ConfigSyntaxError naming line and column. */
  read(location: ConfigLocation, text: string): ConfigDocument;
  /** Servers outside any file the guard can rewrite (plugins, connectors, extensions). */
  unguarded(machine: ClientEnvironment): UnguardedServer[];
  /** The client expands `${…}` references in launch fields at launch (then they stay as written). */
  readonly expandsVariables: RegExp | undefined;
}

/** A config file that does not parse: left untouched, with where and what. */
export class ConfigSyntaxError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly problem: string,
  ) {
    super(`${file}:${line}:${column}: ${problem}; the file was left untouched, fix it and run again`);
  }
}

/** An edit's entry is not in the text any more. */
export class EntryMissingError extends Error {
  constructor(readonly address: readonly string[]) {
    super(`the entry ${address.join('.')} is no longer in the file`);
  }
}
