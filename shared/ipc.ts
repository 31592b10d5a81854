import { z } from 'zod';
import { AnswerResult, GuardStatus, Prompt, PromptAnswer, PromptId, PromptRevision, ToolChangeAnswer } from './approvals.js';
import {
  ActivityAppended,
  ActivityEventDetail,
  ActivityExportChunk,
  ActivityExportCursor,
  ActivityExportFormat,
  ActivityFacets,
  ActivityFilter,
  ActivityHistogram,
  ActivityQuery,
  ActivitySeq,
  ActivityVerifyResult,
  ActivityWindow,
} from './activity.js';
import { HelperCommand, HelperTtl, SecretChangeResult, SecretName, SecretsList, SecretValue } from './secrets-page.js';
import {
  ExplainRequest,
  ExplainResult,
  GrantList,
  GrantRevoke,
  GrantRevokeResult,
  ImportPreviewResult,
  ImportSource,
  ImportSourceFile,
  MAX_POLICY_TEXT,
  PolicyChanged,
  PolicyCheckResult,
  PolicyCheckTarget,
  PolicyEditResult,
  PolicyRevision,
  PolicyView,
  RuleEdit,
  RuleRef,
  UserPolicyFile,
} from './policy-page.js';
import { ServerId } from './server-registry.js';
import { SettingsChangeResult, SettingsPatch, SettingsView } from './settings.js';
import {
  ServersChanged,
  ServersList,
  SetEnabledResult,
  WrapAction,
  WrapApplied,
  WrapPreview,
  WrapTarget,
  previewHashArg,
  serverNameArg,
} from './servers-page.js';

/**
 * The renderer ↔ main contract: every channel once, as zod schemas. Main registers exactly one
 * handler per channel (main/ipc/handle.ts); the preload and the browser bridge expose exactly one
 * function per channel, built by `createGuardApi` below, so the three cannot drift apart.
 * Channel names are `domain:verb`; `window.guard.<domain>.<verb>(...)` calls `domain:verb`.
 * Secrets have no `get` channel.
 */
export const ipcChannels = {
  /** The app's version, as the About box and bug reports show it. */
  'app:version': { args: z.tuple([]), result: z.string() },
  /** Everything waiting for the user, oldest first: held calls (identical ones merged) and tool changes to review. */
  'approvals:list': { args: z.tuple([]), result: z.array(Prompt) },
  /**
   * The prompt is on screen now, at this revision: the service refuses an answer for a prompt it was
   * never told was shown, or one given less than INPUT_PROTECTION_MS after it was.
   */
  'approvals:shown': { args: z.tuple([PromptId, PromptRevision]), result: z.void() },
  /** The user hovers over or focuses the prompt (true) or left it (false): its countdown pauses meanwhile. */
  'approvals:interacting': { args: z.tuple([PromptId, z.boolean()]), result: z.void() },
  /** The user's answer to a held call: the one way anything approves a call. */
  'approvals:answer': { args: z.tuple([PromptId, PromptRevision, PromptAnswer]), result: AnswerResult },
  /**
   * The user's answer to a tool-change prompt; approve names the exact hash the prompt showed, and
   * is refused when the server has listed another definition since.
   */
  'approvals:review': { args: z.tuple([PromptId, PromptRevision, ToolChangeAnswer]), result: AnswerResult },
  /** Approves a wrapped server as the prompt showed it: its exact identity hash (refused when it changed since). */
  'servers:approve': { args: z.tuple([z.string().min(1).max(300), z.string().regex(/^[0-9a-f]{64}$/)]), result: AnswerResult },
  /** The status line: service, proxies, pending approvals, policy in force and its problems. */
  'status:get': { args: z.tuple([]), result: GuardStatus },
  // ── servers page (issue 16); its schemas in shared/servers-page.ts ──
  /** Every server of every client and scope, with identity, approval, tools and pin state; secret values never included. */
  'servers:list': { args: z.tuple([]), result: ServersList },
  /** The exact diff a wrap or unwrap of one row (or all) would make, secrets masked, and the hash that applies it. */
  'servers:preview': { args: z.tuple([WrapAction, WrapTarget]), result: WrapPreview },
  /** Applies a preview by its hash, only if every file is still as it was when previewed. */
  'servers:apply': { args: z.tuple([previewHashArg]), result: WrapApplied },
  /** Disables (persistently: a deny rule in the user policy) or enables a server by name. */
  'servers:set-enabled': { args: z.tuple([serverNameArg, z.boolean()]), result: SetEnabledResult },
  // ── activity page; its schemas in shared/activity.ts ──
  /** One window of the audit log's rows (filtered, newest first, at most 500) from the service's index. */
  'activity:query': { args: z.tuple([ActivityQuery]), result: ActivityWindow },
  /** The client, server and tool names in the log, for the filters. */
  'activity:facets': { args: z.tuple([]), result: ActivityFacets },
  /** One event in full, read back from the log file: its hash, prev and place in the chain, and whether they check. */
  'activity:event': { args: z.tuple([ActivitySeq]), result: ActivityEventDetail },
  /** Calls, asks and denials over time for the filtered events (the chart). */
  'activity:histogram': { args: z.tuple([ActivityFilter]), result: ActivityHistogram },
  /** Walks the hash chain as `mcp-guard audit verify` does; where it breaks, and the row there. */
  'activity:verify': { args: z.tuple([]), result: ActivityVerifyResult },
  /** One chunk (≤ 256 Ki characters) of the export of the filtered events, exactly as `mcp-guard audit export` writes it; null cursor starts. */
  'activity:export': { args: z.tuple([ActivityExportFormat, ActivityFilter, ActivityExportCursor.nullable()]), result: ActivityExportChunk },
  // ── policy page (policy:*, grants:*); its schemas in shared/policy-page.ts ──
  /** The effective policy: each layer's file and mode, every default and rule with its source (managed: locked), problems, the user file's revision. */
  'policy:view': { args: z.tuple([]), result: PolicyView },
  /** The user policy file's text as it is on disk, for the whole-file editor. */
  'policy:user-file': { args: z.tuple([]), result: UserPolicyFile },
  /** What `mcp-guard policy check` would say of a rule as it would sit in the user document, or of a whole document. */
  'policy:check': { args: z.tuple([PolicyCheckTarget]), result: PolicyCheckResult },
  /** Adds or replaces a user rule; refused when the file changed since `revision`, for a managed rule, or when it would not validate. */
  'policy:save-rule': { args: z.tuple([PolicyRevision, RuleEdit]), result: PolicyEditResult },
  /** Removes a user rule; refused when the file changed since `revision` or for a managed rule. */
  'policy:delete-rule': { args: z.tuple([PolicyRevision, RuleRef]), result: PolicyEditResult },
  /** Replaces the user policy file's text (to fix a broken file); refused when it changed since `revision` or would not validate. */
  'policy:save-document': { args: z.tuple([PolicyRevision, z.string().max(MAX_POLICY_TEXT)]), result: PolicyEditResult },
  /** What policy decides for a call and why, exactly as `mcp-guard policy explain --json` gives it. */
  'policy:explain': { args: z.tuple([ExplainRequest]), result: ExplainResult },
  /** The Claude Code settings files the import may read on this machine. */
  'policy:import-sources': { args: z.tuple([]), result: z.array(ImportSourceFile).max(500) },
  /** What importing Claude Code permissions would write (as `mcp-guard policy import-claude`), without writing it. */
  'policy:import-preview': { args: z.tuple([ImportSource]), result: ImportPreviewResult },
  /** Writes exactly the previewed import (named by its result hash); refused when the policy or the settings changed since. */
  'policy:import': { args: z.tuple([ImportSource, PolicyRevision, z.string().regex(/^[0-9a-f]{64}$/)]), result: PolicyEditResult },
  /** The grants in force (newest first): server, tool, scope, client, lifetime, expiry. */
  'grants:list': { args: z.tuple([]), result: GrantList },
  /** Revokes one grant, every grant of a server, or all; says how many went (the proxies lose them at once). */
  'grants:revoke': { args: z.tuple([GrantRevoke]), result: GrantRevokeResult },
  // ── secrets page; its schemas in shared/secrets-page.ts ──
  /** Every wrapped server's secrets: names, where each goes, whether each is set (never a value). */
  'secrets:list': { args: z.tuple([]), result: SecretsList },
  /** Stores (or replaces) a secret's value in the OS keychain; the value only goes in. */
  'secrets:set': { args: z.tuple([ServerId, SecretName, SecretValue]), result: SecretChangeResult },
  /** Removes a secret from the keychain and from the server's record. */
  'secrets:delete': { args: z.tuple([ServerId, SecretName]), result: SecretChangeResult },
  /** Takes a secret's value from a credential helper (argv, run without a shell at each launch) instead of the keychain. */
  'secrets:set-helper': { args: z.tuple([ServerId, SecretName, HelperCommand, HelperTtl]), result: SecretChangeResult },
  // ── settings page; its schemas in shared/settings.ts ──
  /** The settings, each with where its value comes from and whether managed policy locks it. */
  'settings:get': { args: z.tuple([]), result: SettingsView },
  /** Changes some settings; refused, saying why, when one is locked or the file it lives in is broken. */
  'settings:set': { args: z.tuple([SettingsPatch]), result: SettingsChangeResult },
} as const satisfies Record<`${string}:${string}`, ChannelSpec>;

/** Events main sends to the renderer; `window.guard.on(event, cb)` subscribes. */
export const ipcEvents = {
  /** The pending list changed (a call arrived, was answered, timed out, merged): the whole list, as `approvals:list` gives it. */
  'approvals:changed': z.array(Prompt),
  /** A call the user did not answer was denied by the timeout (the prompt says so, briefly). */
  'approvals:timed-out': z.strictObject({ id: PromptId, tool: z.string(), server: z.string() }),
  /** The status changed (policy reloaded or broken, proxies came or went). */
  'status:changed': GuardStatus,
  // ── the pages' events (issue 16), each under its page ──
  // servers:
  /** The servers list changed (client file, registry, approvals, pins or policy): fetch `servers:list` again. */
  'servers:changed': ServersChanged,
  // activity:
  /** New events are in the log (at most five a second): the index's size now; fetch the visible window again. */
  'activity:appended': ActivityAppended,
  // policy:
  /** A policy file changed on disk (an edit on the page, by hand, the CLI, a managed update): fetch `policy:view` again. */
  'policy:changed': PolicyChanged,
  /** A grant was made, revoked or expired: the whole list, as `grants:list` gives it. */
  'grants:changed': GrantList,
  // secrets:
  // settings:
} as const satisfies Record<`${string}:${string}`, z.ZodType>;

export interface ChannelSpec {
  args: z.ZodTuple;
  result: z.ZodType;
}
export type ChannelMap = Record<`${string}:${string}`, ChannelSpec>;
export type EventMap = Record<`${string}:${string}`, z.ZodType>;

export type IpcChannel = keyof typeof ipcChannels;
export type IpcEvent = keyof typeof ipcEvents;
export type IpcArgs<C extends IpcChannel> = z.output<(typeof ipcChannels)[C]['args']>;
export type IpcResult<C extends IpcChannel> = z.output<(typeof ipcChannels)[C]['result']>;

/** `invoke(channel, args)`: how a caller reaches main (ipcRenderer.invoke, or the WebSocket bridge). */
export type Invoke = (channel: string, args: readonly unknown[]) => Promise<unknown>;
/** `listen(event, cb)`: subscribes to an event from main and returns the unsubscribe function. */
export type Listen = (event: string, cb: (payload: unknown) => void) => () => void;

type DomainOf<C> = C extends `${infer D}:${string}` ? D : never;
type VerbOf<C> = C extends `${string}:${infer V}` ? V : never;
type ArgsIn<S> = S extends { args: infer A extends z.ZodTuple } ? Extract<z.input<A>, readonly unknown[]> : never;
type ResultOut<S> = S extends { result: infer R extends z.ZodType } ? z.output<R> : never;

/** The API a contract map yields: one async function per channel, grouped by domain, plus `on`. */
export type ApiOf<Ch extends ChannelMap, Ev extends EventMap> = {
  readonly [D in DomainOf<keyof Ch>]: {
    readonly [C in keyof Ch as C extends `${D}:${string}` ? VerbOf<C> : never]: (...args: ArgsIn<Ch[C]>) => Promise<ResultOut<Ch[C]>>;
  };
} & {
  readonly on: <E extends keyof Ev & string>(event: E, cb: (payload: z.output<Ev[E]>) => void) => () => void;
};

/** `window.guard`, in the app (preload) and in the browser (renderer/bridge) alike. */
export type GuardApi = ApiOf<typeof ipcChannels, typeof ipcEvents>;

/** Builds `window.guard` from the contract; the preload and the browser bridge each pass their transport. */
export function createGuardApi(invoke: Invoke, listen: Listen): GuardApi {
  return buildApi(ipcChannels, ipcEvents, invoke, listen);
}

/**
 * The contract-to-API mapping, for any contract map (exported so tests can check it on a map with
 * events too). Results are parsed on the way in, so a renderer never works with a value the contract
 * does not allow; event payloads likewise. The Electron event object never reaches the callback.
 */
export function buildApi<Ch extends ChannelMap, Ev extends EventMap>(channels: Ch, events: Ev, invoke: Invoke, listen: Listen): ApiOf<Ch, Ev> {
  const domains: Record<string, Record<string, (...args: unknown[]) => Promise<unknown>>> = {};
  for (const [channel, spec] of Object.entries(channels)) {
    const [domain, verb] = splitChannel(channel);
    const group = (domains[domain] ??= {});
    group[verb] = async (...args: unknown[]) => parseOrThrow(spec.result, await invoke(channel, args), `${channel} result`);
  }
  const on = (event: string, cb: (payload: unknown) => void): (() => void) => {
    const schema: z.ZodType | undefined = Object.hasOwn(events, event) ? (events as EventMap)[event as keyof EventMap] : undefined;
    if (!schema) throw new Error(`window.guard.on: unknown event "${event}"; known events: ${Object.keys(events).join(', ') || 'none'}`);
    return listen(event, (payload) => cb(parseOrThrow(schema, payload, `${event} payload`)));
  };
  // The mapped type cannot be produced by a loop; the loop above covers every key of `channels`.
  return { ...domains, on } as unknown as ApiOf<Ch, Ev>;
}

/** `approvals:decide` → ['approvals', 'decide']; anything else is a contract bug, caught at startup. */
export function splitChannel(channel: string): [domain: string, verb: string] {
  const match = /^([a-z][a-z0-9-]*):([a-z][a-zA-Z0-9-]*)$/.exec(channel);
  if (!match) throw new Error(`ipc contract: channel "${channel}" is not named domain:verb`);
  if (match[1] === 'on') throw new Error(`ipc contract: channel "${channel}": the domain "on" is taken by window.guard.on`);
  return [match[1]!, match[2]!];
}

/** Parses with `schema`, or throws an error that names the value and each failing field. */
export function parseOrThrow<T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => `${what}${i.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('')}: ${i.message}`);
  throw new Error(`ipc ${issues.join('; ')}`);
}
