import { z } from 'zod';

/** What an audit event keeps of an argument: the value, its SHA-256, or nothing. */
export const RedactionAction = z.enum(['keep', 'hash', 'drop']);
export type RedactionAction = z.infer<typeof RedactionAction>;

/**
 * One redaction rule of a policy: for tools matching `tool` (Claude Code syntax, `*` wildcards),
 * either one action for all arguments or an action per top-level argument name (`*` for the rest).
 */
export const RedactionRule = z.strictObject({
  tool: z.string().min(1),
  arguments: z
    .union([RedactionAction, z.record(z.string(), RedactionAction)])
    .meta({ description: '"keep", "hash" or "drop", or an object of argument names ("*" for the rest) to one of them' }),
});
export type RedactionRule = z.infer<typeof RedactionRule>;
