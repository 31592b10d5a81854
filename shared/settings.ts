import { z } from 'zod';
import { ManagedPolicyStatus } from './managed-status.js';

/**
 * The Settings page's half of the contract (shared/ipc.ts `settings:*`), and the settings file the
 * guard keeps in its home (`settings.json`, main/store/settings-store.ts). The prompt timeout is not
 * in that file: it is the policy default `defaults.promptTimeoutSeconds`, so `mcp-guard policy` and
 * the proxies see the same value, and managed policy can lock it.
 */

/** What the guard does when a client's file changes under it: record it (`flag`), or also wrap the entry again (`rewrap`). */
export const DriftMode = z.enum(['flag', 'rewrap']);
export type DriftMode = z.infer<typeof DriftMode>;

export const PROMPT_TIMEOUT_MIN_SECONDS = 5;
export const PROMPT_TIMEOUT_MAX_SECONDS = 3600;
export const PromptTimeoutSeconds = z
  .number()
  .int({ error: 'the prompt timeout is whole seconds' })
  .min(PROMPT_TIMEOUT_MIN_SECONDS, { error: `the prompt timeout is at least ${PROMPT_TIMEOUT_MIN_SECONDS} seconds` })
  .max(PROMPT_TIMEOUT_MAX_SECONDS, { error: `the prompt timeout is at most ${PROMPT_TIMEOUT_MAX_SECONDS} seconds (an hour)` });

/** `<guard home>/settings.json`. Unknown fields are errors: a typo is reported, never silently dropped. */
export const SettingsDocument = z.strictObject({
  version: z.literal(1, { error: 'expected 1 (the only settings format version)' }),
  /** Start the desktop app when the user logs in (macOS, Windows). Absent: no. */
  startAtLogin: z.boolean().optional(),
  /** What `mcp-guard serve` does on drift when it is started without --drift. Absent: flag. */
  drift: DriftMode.optional(),
});
export type SettingsDocument = z.infer<typeof SettingsDocument>;

/** Where a value in force comes from. */
export const SettingSource = z.enum(['managed', 'user', 'default']);
export type SettingSource = z.infer<typeof SettingSource>;

const Path = z.string().max(4096);
const Text = z.string().max(2000);

export const SettingsView = z.strictObject({
  startAtLogin: z.strictObject({
    enabled: z.boolean(),
    /**
     * `now`: this process is the desktop app and set the OS login item; `next-app-start`: this is
     * the browser mode, the desktop app applies it when it next starts; `unsupported`: the desktop
     * app cannot set it on this OS (Linux desktops keep autostart in their own settings).
     */
    applied: z.enum(['now', 'next-app-start', 'unsupported']),
  }),
  promptTimeout: z.strictObject({
    seconds: z.number().int(),
    source: SettingSource,
    /** Managed policy sets it: the page shows it locked and `settings:set` refuses a change. */
    locked: z.boolean(),
    /** The file that sets it (managed or user policy), when one does. */
    file: Path.optional(),
    min: z.number().int(),
    max: z.number().int(),
  }),
  drift: z.strictObject({
    /** The stored setting (what `serve` without --drift uses). */
    mode: DriftMode,
    source: z.enum(['settings', 'default']),
    /** Policy requires wrapping (`defaults.requireWrapping`): every drift is wrapped again, whatever the setting. */
    lockedBy: z.strictObject({ source: z.enum(['managed', 'user']), file: Path }).optional(),
    /** The running service was started with --drift: that wins over the setting until it restarts. */
    startedWith: DriftMode.optional(),
  }),
  dataDirectory: z.strictObject({
    path: Path,
    /** Set by MCP_GUARD_HOME (else the OS default). */
    fromVariable: z.boolean(),
  }),
  managed: z.discriminatedUnion('state', [
    z.strictObject({ state: z.literal('not-managed'), checked: Path }),
    z.strictObject({
      state: z.literal('managed-policy'),
      file: Path,
      problems: z.array(Text).max(50),
      /** The signed policy in force, its last fetch, stale or locked down (a managed configuration). */
      status: ManagedPolicyStatus.optional(),
    }),
  ]),
  /** What is wrong with the settings file (a change to what it holds is refused until it is fixed). */
  problems: z.array(Text).max(50),
});
export type SettingsView = z.infer<typeof SettingsView>;

/** A change from the page: only what it changes. `promptTimeoutSeconds: null` removes the user's value (back to the built-in). */
export const SettingsPatch = z
  .strictObject({
    startAtLogin: z.boolean().optional(),
    promptTimeoutSeconds: PromptTimeoutSeconds.nullable().optional(),
    drift: DriftMode.optional(),
  })
  .refine((p) => Object.values(p).some((v) => v !== undefined), { error: 'the change is empty: give at least one setting' });
export type SettingsPatch = z.infer<typeof SettingsPatch>;

export const SettingsChangeResult = z.discriminatedUnion('ok', [
  z.strictObject({ ok: z.literal(true), settings: SettingsView }),
  z.strictObject({ ok: z.literal(false), reason: Text }),
]);
export type SettingsChangeResult = z.infer<typeof SettingsChangeResult>;
