import { z } from 'zod';
import { ClientName } from './server-registry.js';

/**
 * What the Servers page shows and may ask for (issue 16): every server of every client and scope,
 * its identity, approval, tools and pin state, and a wrap or unwrap previewed as the exact diff
 * before it is applied. Built in main (main/service/server-rows.ts, wrap-previews.ts) with every
 * secret-looking value masked: the renderer holds secret NAMES, never values.
 */

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/);
const Text = z.string().max(8192);
const Name = z.string().min(1).max(300);

/** A row's key: stable for one entry of one file (it survives wrap and unwrap), opaque to the renderer. */
export const ServerRowKey = z.string().regex(/^[0-9a-f]{32}$/);
export type ServerRowKey = z.infer<typeof ServerRowKey>;

/**
 * wrapped, unwrapped, unguarded (runs from somewhere the guard cannot rewrite), not-runnable (an
 * entry the guard cannot launch), broken (wrapped, but its record is missing or bad), ad-hoc (seen
 * through `mcp-guard run --`, in no client file).
 */
export const ServerState = z.enum(['wrapped', 'unwrapped', 'unguarded', 'not-runnable', 'broken', 'ad-hoc']);
export type ServerState = z.infer<typeof ServerState>;

/** What a server runs, as far as the guard can tell without the network; secret-looking values masked. */
export const ServerIdentityView = z.strictObject({
  transport: z.enum(['stdio', 'http', 'sse']),
  command: Text.optional(),
  args: z.array(Text).max(500).optional(),
  url: Text.optional(),
  /** `npm:@scope/name@1.2.3`, `pypi:name==1.0`, `oci:image@sha256:…`. */
  package: Text.optional(),
  /** Who publishes it, as the package names it: the npm scope, the image's registry and namespace. */
  publisher: Text.optional(),
  /** The version the package names, or the one found locally (npm cache, lock file). */
  version: Text.optional(),
  pinned: z.boolean(),
  file: Text.optional(),
  fileSha256: Sha256.optional(),
});
export type ServerIdentityView = z.infer<typeof ServerIdentityView>;

/** A tool's pin: approved as listed, changed since (held), new (not approved yet), or no longer listed. */
export const ToolPinState = z.enum(['pinned', 'changed', 'new', 'removed']);
export type ToolPinState = z.infer<typeof ToolPinState>;

export const ServerTool = z.strictObject({ name: Name, state: ToolPinState });
export type ServerTool = z.infer<typeof ServerTool>;

/** A secret the server gets: its name and where its value is (never the value). */
export const ServerSecretName = z.strictObject({
  name: Name,
  target: z.enum(['env', 'header']),
  /** keychain / helper (a wrapped server's); in-file: plaintext in the client's file now, moves to the keychain on wrap. */
  where: z.enum(['keychain', 'helper', 'in-file']),
});
export type ServerSecretName = z.infer<typeof ServerSecretName>;

/** Why the server's calls are denied by a server rule: disabled here (by you), by managed policy, or by another rule of yours. */
export const ServerDisabled = z.strictObject({ by: z.enum(['you', 'managed', 'user-policy']), rule: Name, reason: Text.optional() });
export type ServerDisabled = z.infer<typeof ServerDisabled>;

export const ServerRow = z.strictObject({
  key: ServerRowKey,
  /** Absent for an ad-hoc server. */
  client: ClientName.optional(),
  scope: z.enum(['user', 'local', 'project', 'elsewhere', 'ad-hoc']),
  name: Name,
  /** The client's file (or, for an unguarded server, where it runs from). */
  file: Text,
  projectDir: Text.optional(),
  state: ServerState,
  /** The registry id of a wrapped (or broken) server. */
  id: Name.optional(),
  identity: ServerIdentityView.optional(),
  /** Wrapped and sound: the hash approving names (`servers:approve`). */
  identityHash: Sha256.optional(),
  /** Wrapped and sound: whether this identity is the approved one. */
  approved: z.boolean().optional(),
  /** Not approved, approved before as another identity: what changed, one sentence each. */
  identityChanges: z.array(Text).max(50),
  /** Why approving may approve more than it shows (unpinned package, unhashed file, plain http). */
  risks: z.array(Text).max(20),
  secrets: z.array(ServerSecretName).max(200),
  tools: z.array(ServerTool).max(5000),
  /** The server changed its instructions since they were approved: every tool of it is held. */
  instructionsChanged: z.boolean(),
  /** The pin file cannot be read: every tool is held. */
  pinsUnreadable: z.boolean(),
  disabled: ServerDisabled.optional(),
  detail: Text.optional(),
});
export type ServerRow = z.infer<typeof ServerRow>;

export const ServersList = z.strictObject({
  rows: z.array(ServerRow).max(5000),
  problems: z.array(Text).max(200),
  /** Whether this service can wrap (it knows the launcher wrapped entries run); if not, why and what to do. */
  wrapping: z.discriminatedUnion('ok', [z.strictObject({ ok: z.literal(true) }), z.strictObject({ ok: z.literal(false), reason: Text })]),
});
export type ServersList = z.infer<typeof ServersList>;

export const WrapAction = z.enum(['wrap', 'unwrap']);
export type WrapAction = z.infer<typeof WrapAction>;

/** One row, or every server the action applies to. */
export const WrapTarget = z.union([ServerRowKey, z.literal('all')]);
export type WrapTarget = z.infer<typeof WrapTarget>;

export const DiffLine = z.strictObject({ kind: z.enum(['header', 'hunk', 'context', 'added', 'removed']), text: z.string().max(1_000_000) });
export type DiffLine = z.infer<typeof DiffLine>;

export const WrapNote = z.strictObject({ file: Text, server: Name.optional(), message: Text });
export type WrapNote = z.infer<typeof WrapNote>;

/** The marker that stands for a secret value in a diff (moved to, or read back from, the keychain). */
export const DIFF_SECRET_MARKER = '«secret»';

export const WrapPreview = z.discriminatedUnion('ok', [
  z.strictObject({
    ok: z.literal(true),
    action: WrapAction,
    /** Names `servers:apply`; absent when nothing would change. */
    hash: Sha256.optional(),
    files: z.array(z.strictObject({ file: Text, lines: z.array(DiffLine).max(50_000) })).max(200),
    /** How many secret values the diff shows as a marker. */
    masked: z.number().int().nonnegative(),
    skipped: z.array(WrapNote).max(500),
  }),
  z.strictObject({ ok: z.literal(false), reason: Text }),
]);
export type WrapPreview = z.infer<typeof WrapPreview>;

export const WrapApplied = z.discriminatedUnion('ok', [
  z.strictObject({ ok: z.literal(true), changed: z.array(Name).max(1000), skipped: z.array(WrapNote).max(500), errors: z.array(WrapNote).max(500) }),
  z.strictObject({ ok: z.literal(false), reason: Text }),
]);
export type WrapApplied = z.infer<typeof WrapApplied>;

export const SetEnabledResult = z.discriminatedUnion('ok', [z.strictObject({ ok: z.literal(true) }), z.strictObject({ ok: z.literal(false), reason: Text })]);
export type SetEnabledResult = z.infer<typeof SetEnabledResult>;

/** Something the list shows changed: a client file, the registry, approvals, pins or policy. The page fetches the list again. */
export const ServersChanged = z.strictObject({ at: z.number() });
export type ServersChanged = z.infer<typeof ServersChanged>;

export const serverNameArg = Name;
export const previewHashArg = Sha256;
