/**
 * Claude Code permissions into the user policy, from the page: a preview of exactly what the import
 * would write (main/policy/claude-import.ts, the same as `mcp-guard policy import-claude`), then the
 * import itself, which writes only that same document, and only when neither the user policy nor
 * the settings changed since the preview. The files read are the ones `sources` lists, never a path
 * the page made up.
 */
import { join } from 'node:path';
import type { ImportPreviewResult, ImportSource, ImportSourceFile, PolicyEditResult } from '../../shared/policy-page.js';
import { canonicalJson, sha256Hex } from '../common/canonical-json.js';
import { importClaudePermissions } from '../policy/claude-import.js';
import { validatePolicy } from '../policy/parse-policy.js';
import { fileExistsSync } from './atomic-file.js';
import { POLICY_READ_LIMIT } from './policy-store.js';
import { FileRefusedError, readBoundedTextIfExistsSync, type ReadLimit } from './read-bounded.js';
import type { UserPolicyEdits } from './user-policy-edits.js';

const SETTINGS_LIMIT: ReadLimit = { what: 'Claude Code settings', maxBytes: POLICY_READ_LIMIT.maxBytes, fix: 'paste the permissions part instead' };

export type ImportPlaces = { home: string; projects: readonly string[] };

/** Claude Code's settings files on this machine: the user's, then each project's shared and local ones. */
export function claudeSettingsFiles(places: ImportPlaces): { path: string; label: string }[] {
  const files = [{ path: join(places.home, '.claude', 'settings.json'), label: 'Claude Code user settings' }];
  for (const project of new Set(places.projects)) {
    files.push({ path: join(project, '.claude', 'settings.json'), label: `project ${project}` });
    files.push({ path: join(project, '.claude', 'settings.local.json'), label: `project ${project} (local)` });
  }
  return files;
}

export class ClaudeSettingsImport {
  constructor(
    private readonly edits: UserPolicyEdits,
    private readonly places: () => ImportPlaces,
  ) {}

  /** The user's settings file (listed even when missing, so the page can say where it looked) and the projects' files that exist. */
  sources(): ImportSourceFile[] {
    return claudeSettingsFiles(this.places())
      .map((f) => ({ ...f, exists: fileExistsSync(f.path) }))
      .filter((f, i) => i === 0 || f.exists);
  }

  previewSync(source: ImportSource): ImportPreviewResult {
    const made = this.makeSync(source);
    if (!made.ok) return made;
    const { result, revision, hash } = made;
    const existing = new Set((made.base.rules ?? []).map((r) => r.id));
    return {
      ok: true,
      preview: {
        revision,
        result: hash,
        rules: result.imported.map((rule) => ({ rule, replaces: existing.has(rule.id) })),
        skipped: result.skipped.map((s) => ({ entry: s.entry.slice(0, 2000), reason: s.reason })),
      },
    };
  }

  /** Writes what the preview named by `result` showed; refused when the policy or the settings changed since. */
  importSync(source: ImportSource, revision: string, result: string): PolicyEditResult {
    const made = this.makeSync(source);
    if (!made.ok) return { ok: false, reason: made.reason, problems: made.problems };
    if (made.revision !== revision || made.hash !== result) {
      return {
        ok: false,
        reason: `${made.revision !== revision ? `your policy file ${this.edits.file}` : 'the Claude Code settings'} changed since the preview, so nothing was imported; preview again and check what it would do`,
        problems: [],
      };
    }
    return this.edits.writeIfUnchangedSync(revision, made.result.policy);
  }

  private makeSync(source: ImportSource) {
    const settings = this.settingsSync(source);
    if (!settings.ok) return { ok: false as const, reason: settings.reason, problems: [] };
    const base = this.edits.baseSync();
    if (!base.ok) return { ok: false as const, reason: `not importing: ${base.reason}`, problems: base.problems };
    const result = importClaudePermissions(settings.value, base.doc);
    const checked = validatePolicy(result.policy);
    if (!checked.ok)
      return { ok: false as const, reason: 'the imported rules would not validate; nothing can be imported from these settings', problems: checked.problems };
    return { ok: true as const, base: base.doc, result, revision: base.read.revision, hash: sha256Hex(canonicalJson(result.policy)) };
  }

  private settingsSync(source: ImportSource): { ok: true; value: unknown } | { ok: false; reason: string } {
    let text: string | undefined;
    let what = 'the pasted settings';
    if (source.kind === 'text') text = source.text;
    else {
      what = `Claude Code settings ${source.path}`;
      if (!this.sources().some((f) => f.path === source.path))
        return { ok: false, reason: `${what}: not one of the settings files this page offers; choose one from the list` };
      try {
        text = readBoundedTextIfExistsSync(source.path, SETTINGS_LIMIT);
      } catch (error) {
        return { ok: false, reason: `${what}: ${error instanceof FileRefusedError ? error.reason : error instanceof Error ? error.message : String(error)}` };
      }
      if (text === undefined) return { ok: false, reason: `${what}: not found; paste the settings instead` };
    }
    try {
      return { ok: true, value: JSON.parse(text) };
    } catch (error) {
      return { ok: false, reason: `${what}: not valid JSON (${error instanceof Error ? error.message : String(error)})` };
    }
  }
}
