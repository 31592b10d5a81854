import { z } from 'zod';
import { DecisionLayer, RiskHint } from './decision.js';
import { ManagedPolicyStatus } from './managed-status.js';

/**
 * What the approval prompt shows and what it may answer: the renderer ↔ main half of the loop
 * "call → prompt → answer". Built in main (main/service/prompt-views.ts) from a held call, with
 * secret-looking values already masked: the renderer never holds a secret.
 */

/** The id of one pending prompt (the service's, random); an answer names it and its revision. */
export const PromptId = z.uuid();
export type PromptId = z.infer<typeof PromptId>;

/** A hash of what the prompt shows; an answer for another revision (content changed meanwhile) is refused. */
export const PromptRevision = z.string().regex(/^[0-9a-f]{16,64}$/);
export type PromptRevision = z.infer<typeof PromptRevision>;

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/);

export const ApprovalScope = z.enum(['any-arguments', 'exact-arguments']);
export type ApprovalScope = z.infer<typeof ApprovalScope>;

/** The longest timed grant a prompt may ask for (one year), whatever policy says. */
export const MAX_TIMED_MINUTES = 525_600;

/** An answer to a call, as the prompt's buttons give it; the service checks it against what it offered. */
export const PromptAnswer = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('deny') }),
  z.strictObject({ kind: z.literal('allow-once') }),
  z.strictObject({ kind: z.literal('allow-session'), scope: ApprovalScope }),
  z.strictObject({ kind: z.literal('allow-timed'), minutes: z.number().int().min(1).max(MAX_TIMED_MINUTES), scope: ApprovalScope }),
  z.strictObject({ kind: z.literal('allow-always'), scope: ApprovalScope }),
]);
export type PromptAnswer = z.infer<typeof PromptAnswer>;

/** Which server a prompt is about, and what is known of where it comes from. */
export const PromptServer = z.strictObject({
  name: z.string(),
  /** The registry id of a wrapped server (`claude-code/user/github`). */
  id: z.string().optional(),
  command: z.array(z.string()).optional(),
  url: z.string().optional(),
  package: z.string().optional(),
  version: z.string().optional(),
  pinned: z.boolean().optional(),
  file: z.string().optional(),
  fileSha256: Sha256.optional(),
  /** "new server", "unpinned package", "changed since approval"…: each with what it means. */
  hints: z.array(z.strictObject({ kind: z.enum(['new-server', 'changed-server', 'unpinned-package', 'identity-risk', 'not-wrapped']), detail: z.string() })),
  /** Present when the server is wrapped and not approved as it is: approving names this exact hash. */
  approvable: z.strictObject({ identityHash: Sha256 }).optional(),
});
export type PromptServer = z.infer<typeof PromptServer>;

/** One pending tool call, as the prompt shows it. */
export const CallPrompt = z.strictObject({
  kind: z.literal('call'),
  id: PromptId,
  revision: PromptRevision,
  /** Identical calls waiting on this one prompt (one answer settles them all). */
  count: z.number().int().min(1),
  createdAt: z.number(),
  /** When nobody answering denies the call (epoch ms); while `paused`, `remainingMs` is what is left. */
  deadline: z.number(),
  paused: z.boolean(),
  remainingMs: z.number().int().nonnegative(),
  agent: z.strictObject({ name: z.string().optional(), version: z.string().optional(), cwd: z.string().optional(), pid: z.number().int().optional() }),
  server: PromptServer,
  tool: z.strictObject({ name: z.string(), description: z.string().optional(), annotations: z.record(z.string(), z.unknown()).optional() }),
  /** The call's arguments, secret-looking values replaced by "[secret]"; absent for a call without any (JSON has no undefined). */
  arguments: z.unknown().optional(),
  /** How many values were masked (so the prompt can say so). */
  masked: z.number().int().nonnegative(),
  hints: z.array(RiskHint),
  asked: z.strictObject({ layer: DecisionLayer, rule: z.string(), reason: z.string() }),
  offers: z.strictObject({
    /** Grants at all (false: only Deny and Allow once; policy said `allowGrants: false`). */
    grants: z.boolean(),
    allowAlways: z.boolean(),
    /** The longest timed grant policy allows, in minutes; absent: no limit. */
    maxGrantMinutes: z.number().int().positive().optional(),
  }),
});
export type CallPrompt = z.infer<typeof CallPrompt>;

/** A tool whose definition changed (or is new) since the user approved it: held until reviewed. */
export const ToolChangePrompt = z.strictObject({
  kind: z.literal('tool-change'),
  id: PromptId,
  revision: PromptRevision,
  createdAt: z.number(),
  server: z.string(),
  /** The tool; absent: the server's instructions changed (every tool of the server is held meanwhile). */
  tool: z.string().optional(),
  /** The definition the user approved (null: the tool is new), and the one the server lists now. */
  old: z.record(z.string(), z.unknown()).nullable(),
  new: z.record(z.string(), z.unknown()),
  /** The SHA-256 of the new definition: approving names it, so a later change is not approved with it. */
  hash: Sha256,
});
export type ToolChangePrompt = z.infer<typeof ToolChangePrompt>;

export const Prompt = z.discriminatedUnion('kind', [CallPrompt, ToolChangePrompt]);
export type Prompt = z.infer<typeof Prompt>;

/** An answer to a tool-change prompt: approve the exact new definition, or keep it blocked. */
export const ToolChangeAnswer = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('approve'), hash: Sha256 }),
  z.strictObject({ kind: z.literal('keep-blocked') }),
]);
export type ToolChangeAnswer = z.infer<typeof ToolChangeAnswer>;

/** Whether the service took an answer; when not, why (already settled, never shown, too soon, stale). */
export const AnswerResult = z.discriminatedUnion('ok', [z.strictObject({ ok: z.literal(true) }), z.strictObject({ ok: z.literal(false), reason: z.string() })]);
export type AnswerResult = z.infer<typeof AnswerResult>;

/** How long a prompt ignores clicks and keys after it appears or its content changes. */
export const INPUT_PROTECTION_MS = 750;

/** What the app's status line and banners show. */
export const GuardStatus = z.strictObject({
  pendingApprovals: z.number().int().nonnegative(),
  proxies: z.number().int().nonnegative(),
  policy: z.strictObject({
    userVersion: z.number().optional(),
    managedVersion: z.number().optional(),
    /** Which policy is in force: 12 hex digits of the SHA-256 of each layer's canonical JSON (absent: no such file). */
    userRevision: z
      .string()
      .regex(/^[0-9a-f]{12}$/)
      .optional(),
    managedRevision: z
      .string()
      .regex(/^[0-9a-f]{12}$/)
      .optional(),
    /** A policy file that does not validate: the file, the problem, and what the proxies do meanwhile. */
    problems: z.array(z.string()),
    /** IT's managed policy in force: signed bundle, last fetch, stale, lock-down (the app's banner). */
    managed: ManagedPolicyStatus.optional(),
  }),
});
export type GuardStatus = z.infer<typeof GuardStatus>;
