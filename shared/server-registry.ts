import { z } from 'zod';
import { SERVER_ID_PATTERN } from './server-id.js';

export { SERVER_ID_VARIABLE } from './server-id.js';

/**
 * The guard's server registry: one record per server it wrapped, kept in its home
 * (main/store/server-registry.ts) and read by `mcp-guard run` when a client starts a wrapped entry.
 * A record says how to launch the real server (no secret values: those are in the OS keychain,
 * named here), where the entry lives in which client's file, the entry as it was written there
 * (so unwrap restores it exactly), and the server's identity (what it runs, and whether that is pinned).
 */

export const CLIENT_NAMES = ['claude-code', 'claude-desktop', 'cursor', 'vscode', 'windsurf', 'codex', 'gemini-cli', 'zed'] as const;
export const ClientName = z.enum(CLIENT_NAMES);
export type ClientName = z.infer<typeof ClientName>;

/** `user` (the client's own file), `local` (Claude Code's per-project part of ~/.claude.json), `project` (a file in the project). */
export const ConfigScope = z.enum(['user', 'local', 'project']);
export type ConfigScope = z.infer<typeof ConfigScope>;

export const ServerId = z.string().regex(new RegExp(SERVER_ID_PATTERN), { error: 'expected a server id like "claude-code/user/github"' });
export type ServerId = z.infer<typeof ServerId>;

/** A secret the proxy injects at launch: an environment variable of a stdio server, or a request header of a remote one. */
export const ServerSecret = z.strictObject({
  name: z.string().min(1).max(256),
  target: z.enum(['env', 'header']),
  /**
   * Where the value comes from: the keychain item (service "mcp-guard", account "<serverId>:<name>"),
   * or a credential helper command run at launch (`["gh", "auth", "token"]`), its output the value.
   */
  source: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('keychain') }),
    z.strictObject({
      kind: z.literal('helper'),
      command: z.array(z.string().min(1)).min(1),
      timeoutMs: z.number().int().min(100).max(120_000).optional(),
      /** Re-run after this long (the proxy asks again before the next request once it has passed). */
      ttlSeconds: z
        .number()
        .int()
        .min(1)
        .max(86_400 * 30)
        .optional(),
    }),
  ]),
});
export type ServerSecret = z.infer<typeof ServerSecret>;

/**
 * A field of the launch that the client expands (`${workspaceFolder}`, `${env:TOKEN}`): the wrapped
 * entry passes it as written in an environment variable, so the client still expands it, and the
 * proxy takes the expanded value from there.
 */
export const ClientExpanded = z.strictObject({
  variable: z.string().regex(/^MCP_GUARD_VAR_[0-9]+$/),
  field: z.enum(['command', 'arg', 'cwd', 'url', 'header']),
  /** The argument's index or the header's name. */
  at: z.union([z.number().int().min(0), z.string()]).optional(),
});
export type ClientExpanded = z.infer<typeof ClientExpanded>;

/** How the real server is reached; no secret values (see `secrets`). */
export const RegisteredLaunch = z.discriminatedUnion('transport', [
  z.strictObject({
    transport: z.literal('stdio'),
    command: z.string().min(1),
    args: z.array(z.string()),
    cwd: z.string().optional(),
  }),
  z.strictObject({
    transport: z.enum(['http', 'sse']),
    url: z.string().min(1),
    headers: z.record(z.string(), z.string()),
  }),
]);
export type RegisteredLaunch = z.infer<typeof RegisteredLaunch>;

/** What a server is, as far as the guard can tell without the network; its hash keys approvals. */
export const ServerIdentity = z.strictObject({
  transport: z.enum(['stdio', 'http', 'sse']),
  command: z.string().optional(),
  args: z.array(z.string()).optional(),
  url: z.string().optional(),
  /** `npm:@scope/name@1.2.3`, `pypi:name==1.0`, `oci:image@sha256:…`. */
  package: z.string().optional(),
  /** The package names one exact build (npm x.y.z, pypi ==x.y.z, an image digest). */
  pinned: z.boolean(),
  /** The local file the server runs (a script or a binary given by path), absolute, and its SHA-256: checked again at each launch. */
  file: z.string().optional(),
  fileSha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
  /** From the local npm cache or a lock file, when the package is there; never fetched. */
  resolved: z.strictObject({ version: z.string(), integrity: z.string().optional() }).optional(),
});
export type ServerIdentity = z.infer<typeof ServerIdentity>;

/** Text with holes where secret values were: `["{\"env\": {\"TOKEN\": ", {"secret": "TOKEN"}, "}}"]`. */
export const TextWithSecrets = z.array(
  z.union([
    z.string(),
    /** How the value was quoted: a JSON string, a TOML basic ("…") or literal ('…') string. */
    z.strictObject({ secret: z.string().min(1), quote: z.enum(['json', 'toml-basic', 'toml-literal']) }),
  ]),
);
export type TextWithSecrets = z.infer<typeof TextWithSecrets>;

export const ServerRecord = z.strictObject({
  version: z.literal(1),
  id: ServerId,
  client: ClientName,
  scope: ConfigScope,
  /** The entry's key in the client's config: the server's name in policy (`mcp__<name>__<tool>`). */
  name: z.string().min(1),
  /** The client's file, absolute. */
  file: z.string().min(1),
  projectDir: z.string().optional(),
  /** Where the entry is in that file, in the adapter's terms (a JSON path, a TOML table path). */
  address: z.array(z.string()).min(1),
  launch: RegisteredLaunch,
  secrets: z.array(ServerSecret),
  clientExpanded: z.array(ClientExpanded),
  identity: ServerIdentity,
  /** The entry exactly as it was written in the client's file (secret values as holes), and as the guard wrote it. */
  original: TextWithSecrets,
  wrapped: z.string(),
  wrappedAt: z.iso.datetime(),
});
export type ServerRecord = z.infer<typeof ServerRecord>;
