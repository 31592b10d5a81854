import { z } from 'zod';
import { Decision } from './decision.js';

/**
 * The audit event: one JSON object per line of the audit log. Fields that do not apply to a kind
 * are absent (a `policy-change` has no tool, a `server-start` no decision).
 */

/** `sha256:` and 64 lowercase hex digits. */
export const Sha256 = z.string().regex(/^sha256:[0-9a-f]{64}$/, 'expected "sha256:" and 64 lowercase hex digits');
export type Sha256 = z.infer<typeof Sha256>;

/** The `prev` of the very first event of a log. */
export const GENESIS_PREV: Sha256 = `sha256:${'0'.repeat(64)}`;

/** 26 Crockford base32 characters: 48-bit time in ms, then 80 bits that are random (monotonic within a process). */
export const AuditEventId = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'expected a 26-character sortable id (ULID)');
export type AuditEventId = z.infer<typeof AuditEventId>;

export const AuditEventKind = z.enum([
  'call',
  'server-start',
  'server-stop',
  'pin-change',
  'policy-change',
  'grant-created',
  'grant-revoked',
  /** `mcp-guard run` refused to start a wrapped entry (unknown id, invalid record, missing secret). */
  'server-refused',
  'server-wrapped',
  'server-unwrapped',
  /** A client's config changed under the guard: a new unwrapped server, or a wrapped one unwrapped. */
  'server-drift',
  'server-approved',
  /** The user approved a changed tool definition (or server instructions) in the prompt: its exact hash. */
  'pin-approved',
  /** A wrapped server's secret was set, given a helper, or deleted in the app: `detail.name` names it; never a value. */
  'secret-changed',
  /** A signed policy bundle (or root) was verified and put in force as the managed layer: `detail` has version, url, hash. */
  'policy-applied',
  /** A signed document, or the managed configuration, was refused: `detail.reason` says why; nothing in force changed. */
  'policy-refused',
  /** A collector refused a batch for good (HTTP 400/413, a bad frame): `detail` names the sink, the ids and why. */
  'ship-rejected',
  /** Retention deleted events a sink had not shipped yet: `detail` names the sink and what was lost. */
  'ship-gap',
  /** The device's fleet inventory at a refresh: clients, servers (wrapped or not), policy in force, sink queues. */
  'inventory',
]);
export type AuditEventKind = z.infer<typeof AuditEventKind>;

export const AuditClient = z.object({
  name: z.string(),
  version: z.string().optional(),
  pid: z.number().int().nonnegative().optional(),
  cwd: z.string().optional(),
});
export type AuditClient = z.infer<typeof AuditClient>;

export const AuditServer = z.object({
  /** The server's name in tool names (`mcp__NAME__tool`). */
  name: z.string(),
  /** Command line of a stdio server (secrets scrubbed). */
  command: z.array(z.string()).optional(),
  /** URL of a remote server (credentials scrubbed). */
  url: z.string().optional(),
  /** npm / PyPI package and version when known, e.g. `@modelcontextprotocol/server-memory@1.2.0`. */
  package: z.string().optional(),
});
export type AuditServer = z.infer<typeof AuditServer>;

/** What policy decided; an asked call keeps effect `ask` here, the user's answer is in `approval`. */
/** The Decision as the log keeps it: without the risk hints, which are for the prompt. */
export const AuditDecision = Decision.omit({ hints: true });
export type AuditDecision = z.infer<typeof AuditDecision>;

export const ApprovalAnswer = z.enum(['deny', 'allow-once', 'allow-session', 'allow-timed', 'allow-always']);
export type ApprovalAnswer = z.infer<typeof ApprovalAnswer>;

/** Who answered an asked call and how. */
export const AuditApproval = z.object({
  /** The OS user at the UI, or `api` for the in-process approval API. */
  approver: z.string(),
  answer: ApprovalAnswer,
  /** For allow-timed: when the grant ends (ISO time). */
  until: z.iso.datetime({ offset: true }).optional(),
  scope: z.enum(['any-arguments', 'exact-arguments']).optional(),
});
export type AuditApproval = z.infer<typeof AuditApproval>;

export const AuditOutcomeKind = z.enum(['ok', 'tool-error', 'protocol-error', 'denied', 'timeout', 'cancelled', 'server-exited']);
export type AuditOutcomeKind = z.infer<typeof AuditOutcomeKind>;

export const AuditOutcome = z.object({
  kind: AuditOutcomeKind,
  /** Bytes of the server's response, where there was one. */
  sizeBytes: z.number().int().nonnegative().optional(),
  /** JSON-RPC error code of a protocol error. */
  code: z.number().int().optional(),
});
export type AuditOutcome = z.infer<typeof AuditOutcome>;

/** The fields a writer supplies; the log adds id (unless given), time (unless given), prev and hash. */
export const AuditEventInput = z.object({
  id: AuditEventId.optional(),
  time: z.iso.datetime({ offset: true }).optional(),
  kind: AuditEventKind,
  deviceId: z.string(),
  osUser: z.string(),
  client: AuditClient.optional(),
  server: AuditServer.optional(),
  /** The tool's name as the server lists it (not the `mcp__server__tool` form). */
  tool: z.string().optional(),
  /** Arguments after redaction (`sha256:…`, `[secret]`, dropped keys absent). Absent when dropped whole. */
  arguments: z.unknown().optional(),
  decision: AuditDecision.optional(),
  approval: AuditApproval.optional(),
  /** Milliseconds from the client's request to the end of the call. */
  latencyMs: z.number().nonnegative().optional(),
  outcome: AuditOutcome.optional(),
  /** Kind-specific facts: pin hashes, policy version, grant id and scope. JSON only, secrets scrubbed. */
  detail: z.record(z.string(), z.unknown()).optional(),
});
export type AuditEventInput = z.infer<typeof AuditEventInput>;

/** One stored line: the input plus its place in the hash chain. */
export const AuditEvent = AuditEventInput.extend({
  id: AuditEventId,
  time: z.iso.datetime({ offset: true }),
  /** `hash` of the previous stored event (GENESIS_PREV for the first one ever). */
  prev: Sha256,
  /** SHA-256 over the canonical JSON of this event without `hash` (so including `prev`). */
  hash: Sha256,
});
export type AuditEvent = z.infer<typeof AuditEvent>;
