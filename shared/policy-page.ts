import { z } from 'zod';
import { DecisionLayer, Effect, RiskHint } from './decision.js';
import { GrantLifetime } from './grant.js';
import { PolicyMode, ServerRule, ToolRule } from './policy.js';

/**
 * The Policy page's half of the contract (shared/ipc.ts `policy:*`, `grants:*`): the effective
 * policy with the source of every rule and default, checks and edits of the user layer (never the
 * managed one), `policy explain`, the Claude Code import, and the grants in force. Built in main
 * (main/ipc/policy-handlers.ts, grants-handlers.ts); nothing here is trusted when it comes back.
 */

/** The most rules or server rules a view carries (a 4 MiB policy file holds fewer). */
const MAX_RULES = 50_000;
const MAX_PROBLEMS = 1_000;
/** A rule's JSON text as the editor sends it. */
const MAX_RULE_TEXT = 256 * 1024;
/** The whole user policy file, as the policy store reads it at most (main/store/policy-store.ts). */
export const MAX_POLICY_TEXT = 4 * 1024 * 1024;
const Path = z.string().max(4096);
const Text = z.string().max(10_000);

/**
 * The user policy file as the editor last read it: the SHA-256 of its bytes, or "absent". An edit
 * names it, and is refused when the file changed since (by hand, by another page, by the CLI).
 */
export const PolicyRevision = z.string().regex(/^(?:absent|[0-9a-f]{64})$/, { error: 'expected a policy revision (64 hex digits, or "absent")' });
export type PolicyRevision = z.infer<typeof PolicyRevision>;

/** Which list of the user document a rule belongs to: tool rules (`rules`) or server rules (`servers`). */
export const RuleList = z.enum(['rules', 'servers']);
export type RuleList = z.infer<typeof RuleList>;

/** One thing wrong, as `mcp-guard policy check` prints it: a JSON path such as `rules[3].tool` and a message. */
export const PolicyPageProblem = z.strictObject({ path: z.string().max(1000), message: Text });
export type PolicyPageProblem = z.infer<typeof PolicyPageProblem>;

/** A policy file that does not validate (the last good policy stays in force, or every call is denied). */
export const PolicyFileProblem = z.strictObject({ file: Path, path: z.string().max(1000), message: Text });
export type PolicyFileProblem = z.infer<typeof PolicyFileProblem>;

export const PolicySource = z.enum(['managed', 'user']);
export type PolicySource = z.infer<typeof PolicySource>;

/** One layer: its file, whether it is there, its mode, and whether this page may change it (managed: never). */
export const PolicyLayerView = z.strictObject({
  source: PolicySource,
  file: Path,
  present: z.boolean(),
  mode: PolicyMode,
  locked: z.boolean(),
  /** The file did not validate and nothing good came before it: the layer denies every call. */
  lockdown: z.boolean(),
  version: z.number().optional(),
});
export type PolicyLayerView = z.infer<typeof PolicyLayerView>;

export const DefaultName = z.enum(['tools', 'newServers', 'newTools', 'promptTimeoutSeconds', 'allowAlways', 'maxGrant', 'requireWrapping']);
export type DefaultName = z.infer<typeof DefaultName>;

/** A default in force, as words ("ask", "60 seconds", "no limit"), and the layer that set it ("default" = built in). */
export const DefaultView = z.strictObject({
  name: DefaultName,
  value: z.string().max(200),
  source: z.enum(['managed', 'user', 'default']),
  locked: z.boolean(),
});
export type DefaultView = z.infer<typeof DefaultView>;

/** A rule in force, with the layer and file it comes from; `locked`: managed, so this page cannot change it. */
export const ToolRuleView = z.strictObject({ source: PolicySource, file: Path, locked: z.boolean(), rule: ToolRule });
export type ToolRuleView = z.infer<typeof ToolRuleView>;
export const ServerRuleView = z.strictObject({ source: PolicySource, file: Path, locked: z.boolean(), rule: ServerRule });
export type ServerRuleView = z.infer<typeof ServerRuleView>;

/** `policy:view`: the effective policy, every rule and default with its source, and the user file's revision. */
export const PolicyView = z.strictObject({
  revision: PolicyRevision,
  layers: z.array(PolicyLayerView).max(2),
  defaults: z.array(DefaultView).max(20),
  rules: z.array(ToolRuleView).max(MAX_RULES * 2),
  servers: z.array(ServerRuleView).max(MAX_RULES * 2),
  problems: z.array(PolicyFileProblem).max(MAX_PROBLEMS),
  precedence: z.string().max(500),
});
export type PolicyView = z.infer<typeof PolicyView>;

/** `policy:user-file`: the user policy file's text as it is on disk (null: there is none yet). */
export const UserPolicyFile = z.strictObject({ file: Path, revision: PolicyRevision, text: z.string().max(MAX_POLICY_TEXT).nullable() });
export type UserPolicyFile = z.infer<typeof UserPolicyFile>;

/** An edit of one user rule: its JSON text, its list, and the id of the user rule it replaces (absent: a new rule, appended). */
export const RuleEdit = z.strictObject({
  list: RuleList,
  replaces: z.string().min(1).max(300).optional(),
  text: z.string().max(MAX_RULE_TEXT),
});
export type RuleEdit = z.infer<typeof RuleEdit>;

/** What `policy:check` checks: one rule as it would sit in the user document, or the whole document's text. */
export const PolicyCheckTarget = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('rule'), edit: RuleEdit }),
  z.strictObject({ kind: z.literal('document'), text: z.string().max(MAX_POLICY_TEXT) }),
]);
export type PolicyCheckTarget = z.infer<typeof PolicyCheckTarget>;

/**
 * The problems `mcp-guard policy check` would print for the document the edit makes, path by path;
 * `fileProblems`: the user file on disk does not validate itself, so no rule can be saved into it.
 */
export const PolicyCheckResult = z.strictObject({
  problems: z.array(PolicyPageProblem).max(MAX_PROBLEMS),
  fileProblems: z.array(PolicyPageProblem).max(MAX_PROBLEMS),
  /** Where the rule sits in the document checked (`rules[3]`), for a rule. */
  at: z.string().max(100).optional(),
});
export type PolicyCheckResult = z.infer<typeof PolicyCheckResult>;

/** An edit's outcome: written (the file's new revision), or refused with why and, for an invalid document, its problems. */
export const PolicyEditResult = z.discriminatedUnion('ok', [
  z.strictObject({ ok: z.literal(true), revision: PolicyRevision, file: Path }),
  z.strictObject({ ok: z.literal(false), reason: Text, problems: z.array(PolicyPageProblem).max(MAX_PROBLEMS) }),
]);
export type PolicyEditResult = z.infer<typeof PolicyEditResult>;

export const RuleRef = z.strictObject({ list: RuleList, id: z.string().min(1).max(300) });
export type RuleRef = z.infer<typeof RuleRef>;

/** `policy:explain`: the call as `mcp-guard policy explain --server S --tool T [--args JSON] [--client NAME]` takes it. */
export const ExplainRequest = z.strictObject({
  server: z.string().min(1).max(300),
  tool: z.string().min(1).max(600),
  /** JSON text of the arguments, as `--args` takes it; absent: `{}`. */
  arguments: z
    .string()
    .max(64 * 1024)
    .optional(),
  client: z.string().min(1).max(300).optional(),
});
export type ExplainRequest = z.infer<typeof ExplainRequest>;

export const ExplainedMatch = z.strictObject({
  layer: z.enum(['managed', 'user', 'default', 'pin']),
  rule: z.string(),
  kind: z.enum(['server', 'tool', 'default', 'pin']),
  effect: Effect,
  reason: z.string(),
  monitored: z.boolean(),
  decided: z.boolean(),
});

/** Exactly what `mcp-guard policy explain --json` prints (main/policy/policy-view.ts explanationJson). */
export const Explanation = z.strictObject({
  server: z.string(),
  tool: z.string(),
  client: z.string().nullable(),
  effect: Effect,
  layer: DecisionLayer,
  rule: z.string(),
  reason: z.string(),
  monitored: Effect.nullable(),
  hints: z.array(RiskHint).max(100),
  matched: z.array(ExplainedMatch).max(MAX_RULES * 2 + 10),
  lost: z.array(ExplainedMatch).max(MAX_RULES * 2 + 10),
});
export type Explanation = z.infer<typeof Explanation>;

export const ExplainResult = z.discriminatedUnion('ok', [
  /** `problems`: policy files that do not validate; the explanation is by the policy in force meanwhile. */
  z.strictObject({ ok: z.literal(true), explanation: Explanation, problems: z.array(z.string().max(10_000)).max(MAX_PROBLEMS) }),
  z.strictObject({ ok: z.literal(false), reason: Text }),
]);
export type ExplainResult = z.infer<typeof ExplainResult>;

/** Where Claude Code permissions come from: one of the settings files `policy:import-sources` found, or pasted text. */
export const ImportSource = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('file'), path: Path }),
  z.strictObject({ kind: z.literal('text'), text: z.string().max(1024 * 1024) }),
]);
export type ImportSource = z.infer<typeof ImportSource>;

export const ImportSourceFile = z.strictObject({ path: Path, label: z.string().max(300), exists: z.boolean() });
export type ImportSourceFile = z.infer<typeof ImportSourceFile>;

/** What an import would do: the rules it adds (or replaces, by id), what it skips and why, on which revision. */
export const ImportPreview = z.strictObject({
  revision: PolicyRevision,
  /** The SHA-256 of the document the import makes: applying names it, and is refused when it would make another. */
  result: z.string().regex(/^[0-9a-f]{64}$/),
  rules: z.array(z.strictObject({ rule: ToolRule, replaces: z.boolean() })).max(MAX_RULES),
  skipped: z.array(z.strictObject({ entry: z.string().max(2000), reason: z.string().max(500) })).max(MAX_RULES),
});
export type ImportPreview = z.infer<typeof ImportPreview>;

export const ImportPreviewResult = z.discriminatedUnion('ok', [
  z.strictObject({ ok: z.literal(true), preview: ImportPreview }),
  z.strictObject({ ok: z.literal(false), reason: Text, problems: z.array(PolicyPageProblem).max(MAX_PROBLEMS) }),
]);
export type ImportPreviewResult = z.infer<typeof ImportPreviewResult>;

/** `policy:changed`: the policy files changed on disk (an edit here, by hand, or a managed update); load the view again. */
export const PolicyChanged = z.strictObject({ revision: PolicyRevision });
export type PolicyChanged = z.infer<typeof PolicyChanged>;

/** A grant in force, as the page shows it (the session it belongs to and the full argument hash stay in main). */
export const GrantView = z.strictObject({
  id: z.string().min(1).max(200),
  server: z.string().min(1).max(300),
  /** The tool's own name; absent: every tool of the server. */
  tool: z.string().min(1).max(300).optional(),
  scope: z.enum(['tool-any-args', 'tool-exact-args', 'server']),
  /** The first 12 hex digits of the arguments' SHA-256, for an exact-arguments grant: enough to tell two apart. */
  argsHash: z
    .string()
    .regex(/^[0-9a-f]{12}$/)
    .optional(),
  client: z.enum(['any', 'session']),
  lifetime: GrantLifetime,
  createdAt: z.number().int().nonnegative(),
  expiresAt: z.number().int().nonnegative().nullable(),
  /** The layer whose `ask` the user answered. */
  source: z.enum(['managed', 'user', 'default']),
});
export type GrantView = z.infer<typeof GrantView>;

export const MAX_GRANTS = 10_000;
export const GrantList = z.array(GrantView).max(MAX_GRANTS);

/** Which grants to revoke: one, every grant of a server, or all. */
export const GrantRevoke = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('one'), id: z.string().min(1).max(200) }),
  z.strictObject({ kind: z.literal('server'), server: z.string().min(1).max(300) }),
  z.strictObject({ kind: z.literal('all') }),
]);
export type GrantRevoke = z.infer<typeof GrantRevoke>;

export const GrantRevokeResult = z.strictObject({ revoked: z.number().int().nonnegative() });
export type GrantRevokeResult = z.infer<typeof GrantRevokeResult>;
