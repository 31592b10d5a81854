import { z } from 'zod';

/** What the guard does with a tool call. */
export const Effect = z.enum(['allow', 'ask', 'deny']);
export type Effect = z.infer<typeof Effect>;

/** Where a decision came from: a policy layer, a grant, a tool pin, or the built-in defaults. */
export const DecisionLayer = z.enum(['managed', 'user', 'default', 'grant', 'pin', 'cli']);
export type DecisionLayer = z.infer<typeof DecisionLayer>;

/** A risk the prompt should show; hints never change the effect by themselves. */
export const RiskHint = z.object({
  kind: z.enum([
    'read-only',
    'destructive',
    'idempotent',
    'open-world',
    'path-outside-project',
    'new-host',
    'credential-in-arguments',
    'tool-changed',
    'tool-new',
  ]),
  detail: z.string(),
});
export type RiskHint = z.infer<typeof RiskHint>;

export const Decision = z.object({
  effect: Effect,
  layer: DecisionLayer,
  /** The id of the rule that decided, or "default". */
  rule: z.string(),
  reason: z.string(),
  hints: z.array(RiskHint),
  /** Set when the policy in force is in monitor mode and the effect would have been stricter. */
  monitored: Effect.optional(),
});
export type Decision = z.infer<typeof Decision>;
