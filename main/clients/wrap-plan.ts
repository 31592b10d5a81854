/**
 * What wrapping one entry means, as values: the registry record (how to launch the real server,
 * the entry as it was written with holes where its secrets were), the secrets that move to the
 * keychain, and the canonical wrapped launch (`<launcher> run`, the server id in the environment).
 * No I/O: ./wrapper.ts does the keychain, the registry and the file.
 */
import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { SERVER_ID_VARIABLE } from '../../shared/server-id.js';
import {
  type ClientExpanded,
  type ClientName,
  type RegisteredLaunch,
  type ServerIdentity,
  type ServerRecord,
  type ServerSecret,
  type TextWithSecrets,
} from '../../shared/server-registry.js';
import { isSecret } from '../common/credential-patterns.js';
import type { ClientAdapter, ClientEntry, ConfigLocation, EntryLaunch, EntryLiteral, WrappedLaunch } from './client-adapter.js';

export type WrapPlan = {
  record: ServerRecord;
  /** Values to store in the keychain before anything is written (never in the record). */
  secretValues: { name: string; value: string }[];
  wrapped: WrappedLaunch;
};

/** An entry that cannot be wrapped as it is written; it is left alone, and the reason is reported. */
export class EntryNotWrapped extends Error {}

export type PlanInput = {
  adapter: ClientAdapter;
  location: ConfigLocation;
  entry: ClientEntry & { launch: EntryLaunch };
  launcher: string;
  identity: (launch: RegisteredLaunch, entry: ClientEntry) => ServerIdentity;
  now: Date;
};

export function planWrap(p: PlanInput): WrapPlan {
  const { entry, adapter } = p;
  const variables = adapter.expandsVariables;
  if (entry.launch.transport === 'sse') {
    // Wrapped, it would not start (main/proxy/registered-launch.ts): better left as the client runs it, and listed.
    throw new EntryNotWrapped('it uses the old HTTP+SSE transport, which the guard proxy does not speak yet');
  }
  const secretLiterals = entry.literals.filter((l) => isSecret(l.key, l.value, variables));
  const mixed = secretLiterals.find((l) => variables?.test(l.value));
  if (mixed) {
    // Moving it would take the reference out of the client's reach; leaving it would leave the secret in the file.
    throw new EntryNotWrapped(
      `${mixed.field} "${mixed.key}" holds a secret and a \${…} reference in one value; put the secret in a value of its own (or the reference), then wrap again`,
    );
  }
  const secretNames = new Set(secretLiterals.map((l) => l.key));
  const wrappedEnv: Record<string, string> = {};
  const clientExpanded: ClientExpanded[] = [];
  const expand = (value: string, field: ClientExpanded['field'], at?: number | string) => {
    if (!variables?.test(value)) return;
    const variable = `MCP_GUARD_VAR_${clientExpanded.length}`;
    clientExpanded.push({ variable, field, ...(at !== undefined ? { at } : {}) });
    wrappedEnv[variable] = value;
  };

  let launch: RegisteredLaunch;
  const l = entry.launch;
  if (l.transport === 'stdio') {
    // Non-secret variables stay in the client's entry: the client still expands them and passes them on.
    for (const [key, value] of Object.entries(l.env)) if (!secretNames.has(key)) wrappedEnv[key] = value;
    expand(l.command, 'command');
    l.args.forEach((a, i) => expand(a, 'arg', i));
    if (l.cwd !== undefined) expand(l.cwd, 'cwd');
    launch = { transport: 'stdio', command: l.command, args: l.args, ...(l.cwd !== undefined ? { cwd: l.cwd } : {}) };
  } else {
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries(l.headers)) {
      if (secretNames.has(key)) continue;
      if (variables?.test(value)) expand(value, 'header', key);
      else headers[key] = value;
    }
    expand(l.url, 'url');
    launch = { transport: l.transport, url: l.url, headers };
  }
  const id = serverId(adapter.client, entry);
  wrappedEnv[SERVER_ID_VARIABLE] = id;

  const secrets: ServerSecret[] = secretLiterals.map((s) => ({ name: s.key, target: s.field, source: { kind: 'keychain' } }));
  const record: ServerRecord = {
    version: 1,
    id,
    client: adapter.client,
    scope: entry.scope,
    name: entry.name,
    file: p.location.path,
    ...(entry.projectDir !== undefined ? { projectDir: entry.projectDir } : {}),
    address: [...entry.address],
    launch,
    secrets,
    clientExpanded,
    identity: p.identity(launch, entry),
    original: withHoles(entry, secretLiterals),
    wrapped: '',
    wrappedAt: p.now.toISOString(),
  };
  return {
    record,
    secretValues: secretLiterals.map((s) => ({ name: s.key, value: s.value })),
    wrapped: { command: p.launcher, args: ['run'], env: wrappedEnv },
  };
}

/** The entry's text with each secret literal cut out (the keychain has it; unwrap puts it back). */
function withHoles(entry: ClientEntry, secrets: readonly EntryLiteral[]): TextWithSecrets {
  const out: TextWithSecrets = [];
  let at = 0;
  for (const s of [...secrets].sort((a, b) => a.start - b.start)) {
    out.push(entry.text.slice(at, s.start), { secret: s.key, quote: s.quote });
    at = s.end;
  }
  out.push(entry.text.slice(at));
  return out.filter((part) => part !== '');
}

/** The entry's text as written, its secrets put back (unwrap). */
export function restoredText(original: TextWithSecrets, secret: (name: string) => string): string {
  return original.map((part) => (typeof part === 'string' ? part : quote(secret(part.secret), part.quote))).join('');
}

function quote(value: string, style: 'json' | 'toml-basic' | 'toml-literal'): string {
  switch (style) {
    case 'json':
      return JSON.stringify(value);
    case 'toml-literal':
      return `'${value}'`;
    case 'toml-basic':
      return tomlBasic(value);
  }
}

/** A TOML basic string: JSON's escapes, which TOML shares, except that TOML has no `\/` and wants `\u` for other controls. */
function tomlBasic(value: string): string {
  return JSON.stringify(value).replace(/[\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * A stable, readable id: `claude-code/user/github`, `cursor/project/web-3fa2c1/linear`. A name or
 * project that is not plain letters, digits, `.`, `_`, `-` is kept readable and made unique by a
 * short hash of the original.
 */
export function serverId(client: ClientName, entry: Pick<ClientEntry, 'name' | 'scope' | 'projectDir'>): string {
  const parts: string[] = [client, entry.scope];
  if (entry.scope !== 'user' && entry.projectDir !== undefined) parts.push(`${slug(basename(entry.projectDir) || 'root', 60)}-${shortHash(entry.projectDir)}`);
  const name = slug(entry.name, 100);
  parts.push(name === entry.name ? name : `${name}-${shortHash(entry.name)}`);
  return parts.join('/');
}

function slug(text: string, max: number): string {
  const s = text
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[^A-Za-z0-9_]+/, '')
    .slice(0, max);
  return s || 'server';
}

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 6);
}
