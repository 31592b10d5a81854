import { z } from 'zod';
import { ApprovalAnswer, AuditEvent, AuditEventId, AuditEventKind, AuditOutcomeKind } from './audit.js';
import { Effect } from './decision.js';

/**
 * The Activity page's half of the contract: the audit log as the service's index of it answers
 * (main/audit/activity-index.ts). The renderer never holds the whole log: it asks for one window
 * of rows at a time, newest first, and for one full event when the user opens it.
 */

/** The most rows one query returns. */
export const ACTIVITY_MAX_LIMIT = 500;
/** The longest free text, and the longest name filter. */
export const ACTIVITY_MAX_TEXT = 200;
/** An export chunk holds at most this many UTF-16 code units (≤ 768 KiB of UTF-8, ≤ 1.5 MiB as JSON on the bridge). */
export const ACTIVITY_EXPORT_CHUNK_CHARS = 256 * 1024;
/** The most buckets the chart is given. */
export const ACTIVITY_MAX_BUCKETS = 240;
/** How long a name (client, server, tool, approver) may be in a row; longer ones end in "…" (the event itself has them whole). */
export const ACTIVITY_MAX_NAME = 256;

/** Milliseconds since the epoch, within what a Date holds. */
const EpochMs = z.number().int().min(0).max(8_640_000_000_000_000);
/** A row's place in the index: 1 for the oldest event the index has seen, +1 per event after it (the chain's order). */
export const ActivitySeq = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
export type ActivitySeq = z.infer<typeof ActivitySeq>;

const NameFilter = z.string().min(1).max(ACTIVITY_MAX_TEXT);

/**
 * What the table shows. `server`, `tool`, `decision` and `kind` mean what `mcp-guard audit`'s
 * --server, --tool, --decision and kind mean (main/audit/query.ts compileFilter: `*` wildcards,
 * the tool also as mcp__server__tool); `since`/`until` are inclusive; `lastMs` is "the last N ms"
 * as the service's clock has it at each query; `text` is a case-insensitive substring of the tool
 * and its arguments as redacted.
 */
export const ActivityFilter = z.strictObject({
  kind: AuditEventKind.optional(),
  client: NameFilter.optional(),
  server: NameFilter.optional(),
  tool: NameFilter.optional(),
  decision: Effect.optional(),
  outcome: AuditOutcomeKind.optional(),
  since: EpochMs.optional(),
  until: EpochMs.optional(),
  lastMs: z
    .number()
    .int()
    .min(1000)
    .max(10 * 365 * 24 * 3600 * 1000)
    .optional(),
  text: z.string().min(1).max(ACTIVITY_MAX_TEXT).optional(),
});
export type ActivityFilter = z.infer<typeof ActivityFilter>;

/**
 * One window of the filtered rows, newest first. `snapshot` pins the newest seq the window counts
 * from, so paging stays put while the log grows; absent: the newest event now.
 */
export const ActivityQuery = z.strictObject({
  filter: ActivityFilter,
  offset: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  limit: z.number().int().min(1).max(ACTIVITY_MAX_LIMIT),
  snapshot: ActivitySeq.optional(),
});
export type ActivityQuery = z.infer<typeof ActivityQuery>;

const Name = z.string().max(ACTIVITY_MAX_NAME + 1);

/** Who answered an asked call and how (the event's `approval`). */
export const ActivityApproval = z.strictObject({
  approver: Name,
  answer: ApprovalAnswer,
  /** For allow-timed: when the grant ends (ms). */
  until: EpochMs.optional(),
  scope: z.enum(['any-arguments', 'exact-arguments']).optional(),
});
export type ActivityApproval = z.infer<typeof ActivityApproval>;

/** One row of the table: what the index keeps of an event. */
export const ActivityRow = z.strictObject({
  seq: ActivitySeq,
  id: AuditEventId,
  time: EpochMs,
  kind: AuditEventKind,
  client: Name.optional(),
  server: Name.optional(),
  tool: Name.optional(),
  decision: Effect.optional(),
  outcome: AuditOutcomeKind.optional(),
  latencyMs: z.number().nonnegative().optional(),
  approval: ActivityApproval.optional(),
});
export type ActivityRow = z.infer<typeof ActivityRow>;

export const ActivityWindow = z.strictObject({
  /** The newest seq this window counts from (pass it back to page through the same rows). */
  snapshot: z.number().int().min(0),
  /** The newest seq in the index now (greater than `snapshot`: newer events arrived). */
  newest: z.number().int().min(0),
  /** Rows matching the filter up to `snapshot`. */
  total: z.number().int().min(0),
  offset: z.number().int().min(0),
  rows: z.array(ActivityRow).max(ACTIVITY_MAX_LIMIT),
});
export type ActivityWindow = z.infer<typeof ActivityWindow>;

/** The names seen in the log, for the filters' lists (each sorted, at most 500). */
export const ActivityFacets = z.strictObject({
  clients: z.array(Name).max(500),
  servers: z.array(Name).max(500),
  tools: z.array(Name).max(500),
});
export type ActivityFacets = z.infer<typeof ActivityFacets>;

/** Where an event sits in the log: the segment file and its line there. */
const Position = z.strictObject({ file: z.string().max(100), line: z.number().int().min(1) });

/** One event in full, as read back from the log file, with its place in the chain. */
export const ActivityEventDetail = z.strictObject({
  seq: ActivitySeq,
  /** The newest seq in the index now: the chain position reads "`seq` of `newest`" (1 is the oldest event the index has seen). */
  newest: z.number().int().min(0),
  position: Position,
  event: AuditEvent,
  /** The stored line's content matches its hash. */
  hashValid: z.boolean(),
  /** The event before it in the chain, and whether this event's `prev` is its hash; absent for the first one the index holds. */
  previous: z.strictObject({ seq: ActivitySeq, hash: z.string().max(100), linked: z.boolean() }).optional(),
  /** The arguments were left out, being this many bytes (export JSONL to see them). */
  argumentsOmittedBytes: z.number().int().positive().optional(),
});
export type ActivityEventDetail = z.infer<typeof ActivityEventDetail>;

/** A place where the chain breaks or warns, as verify names it. */
export const ActivityProblem = z.strictObject({
  file: z.string().max(300),
  line: z.number().int().min(1).optional(),
  problem: z.string().max(4000),
  /** The row at that place, when the index has one (the page can open it). */
  seq: ActivitySeq.optional(),
});
export type ActivityProblem = z.infer<typeof ActivityProblem>;

/** `activity:verify`, as `mcp-guard audit verify` judges the chain. */
export const ActivityVerifyResult = z.discriminatedUnion('ok', [
  z.strictObject({
    ok: z.literal(true),
    events: z.number().int().min(0),
    segments: z.number().int().min(0),
    warnings: z.array(ActivityProblem).max(100),
    checkedAt: EpochMs,
  }),
  z.strictObject({ ok: z.literal(false), events: z.number().int().min(0), broken: ActivityProblem, checkedAt: EpochMs }),
]);
export type ActivityVerifyResult = z.infer<typeof ActivityVerifyResult>;

export const ActivityExportFormat = z.enum(['jsonl', 'csv']);
export type ActivityExportFormat = z.infer<typeof ActivityExportFormat>;

/** Where an export goes on: what the service returned with the chunk before, given back unchanged. */
export const ActivityExportCursor = z.string().regex(/^v1\.\d{1,16}\.\d{1,16}\.\d{1,16}\.[0-9a-f]{16}$/);

/** One piece of an export; concatenated in order they are exactly what `mcp-guard audit export` writes. */
export const ActivityExportChunk = z.strictObject({
  chunk: z.string().max(ACTIVITY_EXPORT_CHUNK_CHARS + 4096),
  /** Pass it to get the next chunk; null: this was the last. */
  cursor: ActivityExportCursor.nullable(),
  /** Events the whole export holds (fixed when it started). */
  total: z.number().int().min(0),
  /** Events written up to and with this chunk. */
  done: z.number().int().min(0),
});
export type ActivityExportChunk = z.infer<typeof ActivityExportChunk>;

/** Calls, asks and denials per time bucket, for the chart: bucket i starts at `from + i * bucketMs`. */
export const ActivityHistogram = z.strictObject({
  from: EpochMs,
  bucketMs: z.number().int().min(1),
  calls: z.array(z.number().int().min(0)).max(ACTIVITY_MAX_BUCKETS),
  asks: z.array(z.number().int().min(0)).max(ACTIVITY_MAX_BUCKETS),
  denials: z.array(z.number().int().min(0)).max(ACTIVITY_MAX_BUCKETS),
});
export type ActivityHistogram = z.infer<typeof ActivityHistogram>;

/** `activity:appended`: the index grew (throttled); the page fetches its window again. */
export const ActivityAppended = z.strictObject({ total: z.number().int().min(0), newest: z.number().int().min(0) });
export type ActivityAppended = z.infer<typeof ActivityAppended>;
