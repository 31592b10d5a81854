import { z } from 'zod';
import { Effect } from './decision.js';
import { RedactionRule } from './redaction.js';

/**
 * The policy document (issue 3). Unknown fields are errors everywhere: a typo must never silently
 * weaken policy. Defaults are optional here and resolved by the engine, so that layering can tell
 * "not set" from "set to the built-in value".
 */

/*
 * Every constraint here must reach the JSON Schema (`policyJsonSchema`): editors use it, and the
 * validator that all of MCP Guard runs is compiled from it (main/policy/generated). So no
 * `.refine` without the same rule as JSON Schema keywords in `.meta`, and a `description` wherever
 * a value has a format: error messages say "expected <description>".
 */

/** A tool pattern in Claude Code's syntax: `mcp__<server>__<tool>`, `mcp__<server>__*`, `mcp__<server>`. */
export const ToolPattern = z
  .string({ error: 'expected a string like "mcp__github__*"' })
  .regex(/^mcp__\S+$/, { error: 'expected a string like "mcp__github__*" (Claude Code tool syntax)' })
  .meta({ description: 'a string like "mcp__github__*" (Claude Code tool syntax)' });

/** An ISO 8601 duration of days, hours, minutes, seconds: `PT8H`, `P1D`, `PT30M`. Not `P` or `PT` alone. */
export const IsoDuration = z
  .string()
  .regex(/^P(?!$)(?:\d+D)?(?:T(?=\d)(?:\d+H)?(?:\d+M)?(?:\d+S)?)?$/, { error: 'expected an ISO 8601 duration like "PT8H" or "P1D"' })
  .meta({ description: 'an ISO 8601 duration like "PT8H" or "P1D"' });

/** What happens to a tool that appears in a later `tools/list`: hidden, or visible and asked about. */
export const NewToolsAction = z.enum(['hide', 'ask']);
export type NewToolsAction = z.infer<typeof NewToolsAction>;

export const PolicyDefaults = z.strictObject({
  /** Action for a call no rule matches. Built-in: `ask`. */
  tools: Effect.optional(),
  /** Action for calls to a server not yet approved (no server rule allows it, not approved by the user). Built-in: `ask`. */
  newServers: Effect.optional(),
  /** Seconds a prompt waits before denying that one call. Built-in: 60. */
  promptTimeoutSeconds: z.number().int().min(5).max(3600).optional(),
  /** Whether the prompt offers "always allow". Built-in: true. */
  allowAlways: z.boolean().optional(),
  /** The longest grant a user may give. Built-in: no limit. */
  maxGrant: IsoDuration.optional(),
  /** Tools that appear after the first `tools/list`: hidden or asked about. Built-in: `ask`. */
  newTools: NewToolsAction.optional(),
  /**
   * Every MCP server of every client must run through the guard: the service wraps a server it
   * finds unwrapped (added, or unwrapped by hand) again, and it is held until approved. Any layer
   * setting true wins. Built-in: false.
   */
  requireWrapping: z.boolean().optional(),
});
export type PolicyDefaults = z.infer<typeof PolicyDefaults>;

const Sha256 = z
  .string()
  .regex(/^[0-9a-fA-F]{64}$/, { error: 'expected 64 hex digits (a SHA-256)' })
  .meta({ description: '64 hex digits (a SHA-256)' });

/** How a server is recognised. Every field given must match. */
export const ServerMatch = z
  .strictObject({
    /** Glob on the server's name (`*` wildcards). */
    name: z.string().min(1).optional(),
    /** Exact launch argument list (command first), or a glob on the command line joined by spaces. */
    command: z
      .union([z.array(z.string()).min(1), z.string().min(1)])
      .meta({ description: 'the launch argument list (command first), or a glob on the command line' })
      .optional(),
    /** `npm:@scope/name@range`, `pypi:name[==version]`, `oci:image[:tag|@sha256:…]`; `*` globs in names. */
    package: z
      .string()
      .regex(/^(npm|pypi|oci):.+$/, { error: 'expected "npm:@scope/name@range", "pypi:name" or "oci:image"' })
      .meta({ description: '"npm:@scope/name@range", "pypi:name" or "oci:image"' })
      .optional(),
    /** true: the launch names an exact version (npm x.y.z, pypi ==x.y.z, oci digest); false: it does not. */
    pinned: z.boolean().optional(),
    /** Glob on a remote server's URL. */
    url: z.string().min(1).optional(),
    /** SHA-256 of the server's executable. */
    sha256: Sha256.optional(),
  })
  .refine((m) => Object.values(m).some((v) => v !== undefined), { error: 'a server match needs at least one field' })
  .refine((m) => m.pinned === undefined || m.package !== undefined, { error: '"pinned" only applies together with "package"', path: ['pinned'] })
  .meta({ minProperties: 1, dependentRequired: { pinned: ['package'] } });
export type ServerMatch = z.infer<typeof ServerMatch>;

const RuleId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, { error: 'expected an id of letters, digits, ".", "_", ":" or "-"' })
  .meta({ description: 'an id of letters, digits, ".", "_", ":" or "-"' });

export const ServerRule = z.strictObject({
  id: RuleId,
  match: ServerMatch,
  action: Effect,
  reason: z.string().optional(),
});
export type ServerRule = z.infer<typeof ServerRule>;

/** A JSON Schema (draft 2020-12 subset that ajv compiles) for a call's arguments. */
export const ArgumentCondition = z.record(z.string(), z.unknown());

export const ToolRule = z.strictObject({
  id: RuleId,
  tool: ToolPattern,
  /** A client id such as `claude-code`, or a glob on the client's name. */
  client: z.string().min(1).optional(),
  /** The rule applies only when the call's arguments validate against this JSON Schema. */
  arguments: ArgumentCondition.optional(),
  action: Effect,
  reason: z.string().optional(),
  /** false: an `ask` of this rule can never be answered with a grant (managed layer). Default true. */
  allowGrants: z.boolean().optional(),
});
export type ToolRule = z.infer<typeof ToolRule>;

export const PolicyMode = z.enum(['enforce', 'monitor']);
export type PolicyMode = z.infer<typeof PolicyMode>;

export const PolicyDocument = z.strictObject({
  $schema: z.string().optional(),
  version: z.literal(1, { error: 'expected 1 (the only policy format version)' }).meta({ description: '1 (the only policy format version)' }),
  mode: PolicyMode.optional(),
  defaults: PolicyDefaults.optional(),
  servers: z.array(ServerRule).optional(),
  rules: z.array(ToolRule).optional(),
  redaction: z.array(RedactionRule).optional(),
});
export type PolicyDocument = z.infer<typeof PolicyDocument>;

export const POLICY_SCHEMA_URL = 'https://mcp-guard.dev/schema/policy-v1.json';

/** The policy's JSON Schema, for editors and for the validator compiled from it. */
export function policyJsonSchema(): Record<string, unknown> {
  return { ...z.toJSONSchema(PolicyDocument, { io: 'input', unrepresentable: 'any' }), $id: POLICY_SCHEMA_URL, title: 'MCP Guard policy' };
}
