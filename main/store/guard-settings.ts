/**
 * The Settings page's model: each setting with where its value in force comes from, and the one
 * way to change them. Start at login and drift live in the settings file (./settings-store.ts);
 * the prompt timeout in the user policy (./prompt-timeout-setting.ts). Locks come from policy, read
 * here and never from the caller: managed `promptTimeoutSeconds` locks the timeout, and a policy
 * that requires wrapping makes every drift a re-wrap. A change is checked whole before any of it is
 * written, so a refused patch changes nothing.
 */
import type { DriftMode, SettingsChangeResult, SettingsPatch, SettingsView } from '../../shared/settings.js';
import { PROMPT_TIMEOUT_MAX_SECONDS, PROMPT_TIMEOUT_MIN_SECONDS } from '../../shared/settings.js';
import { formatFileProblem } from './atomic-file.js';
import type { PolicyStore } from './policy-store.js';
import { setPromptTimeoutSync } from './prompt-timeout-setting.js';
import { SettingsFileError, type SettingsStore } from './settings-store.js';

/** The OS login item, where the process serving the page can set it (the desktop app); absent in the browser mode. */
export type LoginItemPort = { readonly supported: boolean; apply(openAtLogin: boolean): void };

export type GuardSettingsDeps = {
  policy: PolicyStore;
  settings: SettingsStore;
  home: string;
  homeFromVariable: boolean;
  loginItem: LoginItemPort | undefined;
  /** The --drift the running service was started with, if it was. */
  driftFlag: DriftMode | undefined;
};

export class GuardSettings {
  constructor(private readonly d: GuardSettingsDeps) {}

  viewSync(): SettingsView {
    const { policy, settings, loginItem } = this.d;
    const read = settings.readSync();
    const stored = read.state === 'ok' ? read.settings : undefined;
    const defaults = policy.current().engine.defaults;
    const timeout = defaults.promptTimeoutSeconds;
    const wrapping = defaults.requireWrapping;
    const files = policy.files;
    const fileOf = (source: 'managed' | 'user') => (source === 'managed' ? files.managed : files.user);
    // The user policy's problems are the status line's banners already; a timeout change says them when it is refused.
    const problems = read.state === 'bad' ? [new SettingsFileError(read.problems).message] : [];
    return {
      startAtLogin: {
        enabled: stored?.startAtLogin ?? false,
        applied: loginItem === undefined ? 'next-app-start' : loginItem.supported ? 'now' : 'unsupported',
      },
      promptTimeout: {
        seconds: timeout.value,
        source: timeout.source,
        locked: timeout.source === 'managed',
        ...(timeout.source !== 'default' ? { file: fileOf(timeout.source) } : {}),
        min: PROMPT_TIMEOUT_MIN_SECONDS,
        max: PROMPT_TIMEOUT_MAX_SECONDS,
      },
      drift: {
        mode: stored?.drift ?? 'flag',
        source: stored?.drift !== undefined ? 'settings' : 'default',
        ...(wrapping.value && wrapping.source !== 'default' ? { lockedBy: { source: wrapping.source, file: fileOf(wrapping.source) } } : {}),
        ...(this.d.driftFlag !== undefined ? { startedWith: this.d.driftFlag } : {}),
      },
      dataDirectory: { path: this.d.home, fromVariable: this.d.homeFromVariable },
      managed: this.managedView(),
      problems: problems.slice(0, 50),
    };
  }

  private managedView(): SettingsView['managed'] {
    const { policy } = this.d;
    const files = policy.files;
    const status = policy.managedStatus;
    const problems = [...(status?.configProblems ?? []), ...policy.problems.filter((p) => p.file === files.managed).map(formatFileProblem)].slice(0, 50);
    if (status?.source === 'managed-config') return { state: 'managed-policy', file: status.file ?? files.managed, problems, status };
    if (policy.managed !== undefined) return { state: 'managed-policy', file: files.managed, problems };
    return { state: 'not-managed', checked: files.managed };
  }

  /** Applies the patch, or refuses all of it, saying why. */
  changeSync(patch: SettingsPatch): SettingsChangeResult {
    const { policy, settings, loginItem } = this.d;
    const defaults = policy.current().engine.defaults;
    if (patch.promptTimeoutSeconds !== undefined && defaults.promptTimeoutSeconds.source === 'managed')
      return refused(
        `the prompt timeout is set by managed policy (${policy.files.managed}) to ${defaults.promptTimeoutSeconds.value} seconds; only your IT department can change it`,
      );
    const wrapping = defaults.requireWrapping;
    if (patch.drift === 'flag' && wrapping.value && wrapping.source !== 'default') {
      const by = wrapping.source === 'managed' ? `managed policy (${policy.files.managed})` : `your policy (${policy.files.user})`;
      return refused(`${by} requires wrapping (defaults.requireWrapping), so every drift is wrapped again; drift cannot be set to flag only`);
    }
    const fileChange = {
      ...(patch.startAtLogin !== undefined ? { startAtLogin: patch.startAtLogin } : {}),
      ...(patch.drift !== undefined ? { drift: patch.drift } : {}),
    };
    const touchesFile = Object.keys(fileChange).length > 0;
    if (touchesFile) {
      const read = settings.readSync();
      if (read.state === 'bad') return refused(new SettingsFileError(read.problems).message);
    }
    if (patch.promptTimeoutSeconds !== undefined) {
      const timeout = setPromptTimeoutSync(policy, patch.promptTimeoutSeconds);
      if (!timeout.ok) return refused(timeout.reason);
    }
    try {
      if (touchesFile) settings.updateSync(fileChange);
      if (patch.startAtLogin !== undefined && loginItem?.supported) loginItem.apply(patch.startAtLogin);
    } catch (error) {
      return refused(`the settings were not all saved: ${error instanceof Error ? error.message : String(error)}`);
    }
    return { ok: true, settings: this.viewSync() };
  }
}

function refused(reason: string): SettingsChangeResult {
  return { ok: false, reason: reason.length > 2000 ? `${reason.slice(0, 1999)}…` : reason };
}
