import { z } from 'zod';

/**
 * Tool pins (issue 3): per server, the SHA-256 of each approved tool's canonical definition and of
 * the server's instructions, plus changes seen since, kept with old and new definitions for a diff.
 */
const Hash = z.string().regex(/^[0-9a-f]{64}$/, { error: 'expected a lowercase hex SHA-256' });

/** The pinned fields of a tool as the server listed them. */
export const ToolDefinition = z.record(z.string(), z.unknown());
export type ToolDefinition = z.infer<typeof ToolDefinition>;

export const ToolPin = z.strictObject({ hash: Hash, definition: ToolDefinition });
export type ToolPin = z.infer<typeof ToolPin>;

export const InstructionsPin = z.strictObject({ hash: Hash, text: z.string().nullable() });
export type InstructionsPin = z.infer<typeof InstructionsPin>;

/** A tool whose listing differs from its pin: new (old null), changed, or removed (new null). */
export const PendingToolChange = z.strictObject({
  old: ToolPin.nullable(),
  new: ToolPin.nullable(),
  seenAt: z.number().int().nonnegative(),
});
export type PendingToolChange = z.infer<typeof PendingToolChange>;

export const PendingInstructionsChange = z.strictObject({
  old: InstructionsPin,
  new: InstructionsPin,
  seenAt: z.number().int().nonnegative(),
});
export type PendingInstructionsChange = z.infer<typeof PendingInstructionsChange>;

export const ServerPins = z.strictObject({
  tools: z.record(z.string(), ToolPin),
  instructions: InstructionsPin,
  pending: z.strictObject({
    tools: z.record(z.string(), PendingToolChange),
    instructions: PendingInstructionsChange.nullable(),
  }),
});
export type ServerPins = z.infer<typeof ServerPins>;

export const PinFile = z.strictObject({
  version: z.literal(1),
  servers: z.record(z.string(), ServerPins),
});
export type PinFile = z.infer<typeof PinFile>;
