/**
 * The user policy file as the Policy page changes it: read, modified and written back in one
 * synchronous step on the document that is on disk now (so a change another page or the CLI made
 * is never lost), and only when the file is still at the revision the editor loaded. Every document
 * written is validated first by the validator `mcp-guard policy check` runs; the managed file is
 * never written here.
 */
import type { PolicyDocument } from '../../shared/policy.js';
import type { PolicyCheckResult, PolicyCheckTarget, PolicyEditResult, RuleEdit, RuleRef } from '../../shared/policy-page.js';
import { sha256Hex } from '../common/canonical-json.js';
import { parsePolicyText, type PolicyProblem } from '../policy/parse-policy.js';
import { checkRuleEdit, missingRule, withoutRule } from '../policy/rule-edits.js';
import { writeFileAtomicSync } from './atomic-file.js';
import { POLICY_READ_LIMIT, type PolicyStore } from './policy-store.js';
import { FileRefusedError, readBoundedTextIfExistsSync } from './read-bounded.js';

export const ABSENT_REVISION = 'absent';

/** The user file on disk: its revision (SHA-256 of its text, or "absent") and text; `refused` when it cannot be read. */
export type UserFileRead = { file: string; revision: string; text: string | undefined; refused?: string };

/** The revision of a file's text, as the page names it. */
export function revisionOf(text: string | undefined): string {
  return text === undefined ? ABSENT_REVISION : sha256Hex(text);
}

export function readUserPolicySync(file: string): UserFileRead {
  try {
    const text = readBoundedTextIfExistsSync(file, POLICY_READ_LIMIT);
    return { file, revision: revisionOf(text), text };
  } catch (error) {
    const why =
      error instanceof FileRefusedError ? error.reason : `cannot read it (${error instanceof Error ? error.message : String(error)}); check its permissions`;
    return { file, revision: ABSENT_REVISION, text: undefined, refused: why };
  }
}

type Base = { ok: true; doc: PolicyDocument; read: UserFileRead } | { ok: false; reason: string; problems: PolicyProblem[]; read: UserFileRead };

export class UserPolicyEdits {
  constructor(private readonly store: PolicyStore) {}

  get file(): string {
    return this.store.files.user;
  }

  readSync(): UserFileRead {
    return readUserPolicySync(this.file);
  }

  /** The document on disk to edit: the file's own (it must validate), or an empty policy where there is no file yet. */
  baseSync(): Base {
    const read = this.readSync();
    if (read.refused !== undefined) return { ok: false, reason: `policy file ${read.file}: ${read.refused}`, problems: [], read };
    if (read.text === undefined) return { ok: true, doc: { version: 1 }, read };
    const parsed = parsePolicyText(read.text);
    if (parsed.ok) return { ok: true, doc: parsed.policy, read };
    return {
      ok: false,
      reason: `your policy file ${read.file} does not validate; fix it first (edit the whole file on this page, or run mcp-guard policy check ${read.file})`,
      problems: parsed.problems,
      read,
    };
  }

  /** The problems `mcp-guard policy check` would print for the document an edit makes. */
  checkSync(target: PolicyCheckTarget): PolicyCheckResult {
    if (target.kind === 'document') {
      const parsed = parsePolicyText(target.text);
      return { problems: parsed.ok ? [] : parsed.problems, fileProblems: [] };
    }
    const base = this.baseSync();
    if (!base.ok) return { problems: [], fileProblems: base.problems.length > 0 ? base.problems : [{ path: '(root)', message: base.reason }] };
    const checked = checkRuleEdit(base.doc, target.edit);
    return { problems: checked.ok ? [] : checked.problems, fileProblems: [], ...(checked.at !== undefined ? { at: checked.at } : {}) };
  }

  /** Adds a user rule or replaces one (by id); refused for a managed rule, a stale revision, or a document that would not validate. */
  saveRuleSync(revision: string, edit: RuleEdit): PolicyEditResult {
    const base = this.editableBaseSync(revision);
    if (!base.ok) return base.result;
    if (edit.replaces !== undefined && !(base.doc[edit.list] ?? []).some((r) => r.id === edit.replaces)) return this.refuseMissing(edit.list, edit.replaces);
    const checked = checkRuleEdit(base.doc, edit);
    if (!checked.ok) return refused(`the rule does not validate, so it was not saved; fix what is listed at ${checked.at ?? edit.list}`, checked.problems);
    return this.writeSync(checked.doc);
  }

  /** Removes a user rule; refused for a managed rule or a stale revision. */
  deleteRuleSync(revision: string, ref: RuleRef): PolicyEditResult {
    const base = this.editableBaseSync(revision);
    if (!base.ok) return base.result;
    const doc = withoutRule(base.doc, ref.list, ref.id);
    if (!doc) return this.refuseMissing(ref.list, ref.id);
    return this.writeSync(doc);
  }

  /** Writes the whole file's text as given, when it validates and the file is still at `revision` (the way to fix a broken file). */
  saveDocumentSync(revision: string, text: string): PolicyEditResult {
    const read = this.readSync();
    if (read.refused !== undefined) return refused(`policy file ${read.file}: ${read.refused}`, []);
    if (read.revision !== revision) return staleRefusal(read.file);
    const parsed = parsePolicyText(text);
    if (!parsed.ok) return refused(`the policy does not validate, so ${read.file} was not changed; fix what is listed`, parsed.problems);
    writeFileAtomicSync(read.file, text);
    // The service's own watch sees the write too; this makes the view right away what is on disk.
    this.store.reloadSync();
    return { ok: true, revision: revisionOf(text), file: read.file };
  }

  /** Writes `doc` (validated by the store) when the file is still at `revision`: the last step of every edit, the import's too. */
  writeIfUnchangedSync(revision: string, doc: PolicyDocument): PolicyEditResult {
    const read = this.readSync();
    if (read.revision !== revision || read.refused !== undefined) return staleRefusal(read.file);
    return this.writeSync(doc);
  }

  private editableBaseSync(revision: string): { ok: true; doc: PolicyDocument } | { ok: false; result: PolicyEditResult } {
    const base = this.baseSync();
    if (base.read.refused === undefined && base.read.revision !== revision) return { ok: false, result: staleRefusal(base.read.file) };
    if (!base.ok) return { ok: false, result: refused(base.reason, base.problems) };
    return { ok: true, doc: base.doc };
  }

  private refuseMissing(list: RuleRef['list'], id: string): PolicyEditResult {
    const managed = (this.store.managed?.[list] ?? []).some((r) => r.id === id);
    if (managed) return refused(`rule "${id}" is managed — set by ${this.store.files.managed}; it cannot be changed here`, []);
    return refused(missingRule(list, id), []);
  }

  private writeSync(doc: PolicyDocument): PolicyEditResult {
    const problems = this.store.saveUserSync(doc);
    if (problems.length > 0) return refused(`the policy does not validate, so ${this.file} was not changed`, problems);
    return { ok: true, revision: this.readSync().revision, file: this.file };
  }
}

function refused(reason: string, problems: readonly PolicyProblem[]): PolicyEditResult {
  return { ok: false, reason, problems: problems.map((p) => ({ path: p.path, message: p.message })) };
}

function staleRefusal(file: string): PolicyEditResult {
  return refused(
    `your policy file ${file} changed since this page loaded it (edited by hand, by the CLI or in another window), so nothing was saved; the page now shows the file as it is: check it and save again`,
    [],
  );
}
