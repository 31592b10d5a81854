/**
 * The prompt timeout as a setting: it is the policy default `defaults.promptTimeoutSeconds`, so a
 * change is a read-modify-write of the user policy file as it is on disk (so an edit made by hand a
 * moment ago is kept; ./user-policy-edits.ts), through PolicyStore.saveUserSync (validated, atomic,
 * the service told). Managed policy that sets it locks it: IT's value is the one in force, and a
 * user value could only be ignored, so it is refused rather than written.
 */
import type { PolicyDocument } from '../../shared/policy.js';
import { PROMPT_TIMEOUT_MAX_SECONDS, PROMPT_TIMEOUT_MIN_SECONDS } from '../../shared/settings.js';
import { formatFileProblem } from './atomic-file.js';
import type { PolicyStore } from './policy-store.js';
import { UserPolicyEdits } from './user-policy-edits.js';

export type SettingChange = { ok: true } | { ok: false; reason: string };

/** `seconds: null` removes the user's value (the built-in default applies again). */
export function setPromptTimeoutSync(policy: PolicyStore, seconds: number | null): SettingChange {
  const managed = policy.managed?.defaults?.promptTimeoutSeconds;
  if (managed !== undefined)
    return {
      ok: false,
      reason: `the prompt timeout is set by managed policy (${policy.files.managed}) to ${managed} seconds; only your IT department can change it`,
    };
  if (seconds !== null && (!Number.isInteger(seconds) || seconds < PROMPT_TIMEOUT_MIN_SECONDS || seconds > PROMPT_TIMEOUT_MAX_SECONDS))
    return {
      ok: false,
      reason: `the prompt timeout is whole seconds from ${PROMPT_TIMEOUT_MIN_SECONDS} to ${PROMPT_TIMEOUT_MAX_SECONDS}, not ${String(seconds)}`,
    };
  const base = new UserPolicyEdits(policy).baseSync();
  if (!base.ok) {
    const problems = base.problems.map((p) => `${p.path}: ${p.message}`).join('; ');
    return { ok: false, reason: `${base.reason}${problems ? ` (${problems})` : ''}; the prompt timeout was not changed` };
  }
  const defaults = { ...base.doc.defaults };
  if (seconds === null) delete defaults.promptTimeoutSeconds;
  else defaults.promptTimeoutSeconds = seconds;
  const next: PolicyDocument = { ...base.doc, defaults };
  if (Object.keys(defaults).length === 0) delete next.defaults;
  const problems = policy.saveUserSync(next);
  if (problems.length > 0) return { ok: false, reason: `${problems.map(formatFileProblem).join('; ')}; nothing was written` };
  return { ok: true };
}
