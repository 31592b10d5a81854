import type { PolicyChanged, PolicyView } from '../../shared/policy-page.js';
import { explainCall } from '../policy/explain-call.js';
import { policyPageView } from '../policy/policy-page-view.js';
import { ClaudeSettingsImport } from '../store/claude-settings-import.js';
import { UserPolicyEdits, readUserPolicySync } from '../store/user-policy-edits.js';
import type { IpcHandler } from './handle.js';
import type { PageContext } from './page-context.js';

type PolicyChannels =
  | 'policy:view'
  | 'policy:user-file'
  | 'policy:check'
  | 'policy:save-rule'
  | 'policy:delete-rule'
  | 'policy:save-document'
  | 'policy:explain'
  | 'policy:import-sources'
  | 'policy:import-preview'
  | 'policy:import';

/**
 * The Policy page's channels. Edits reach only the user policy file, through UserPolicyEdits (the
 * revision the page loaded must still be on disk, the document must validate, a managed rule is
 * refused by name); the managed file is only ever read. The parts are made on first use.
 */
export function policyHandlers(ctx: PageContext): { readonly [C in PolicyChannels]: IpcHandler<C> } {
  let parts: { edits: UserPolicyEdits; imports: ClaudeSettingsImport } | undefined;
  const use = () => {
    if (!parts) {
      const edits = new UserPolicyEdits(ctx.policy);
      parts = { edits, imports: new ClaudeSettingsImport(edits, () => ({ home: ctx.machine.home, projects: ctx.machine.projects })) };
    }
    return parts;
  };
  return {
    'policy:view': () => viewSync(ctx),
    'policy:user-file': () => {
      const read = use().edits.readSync();
      if (read.refused !== undefined) throw new Error(`policy file ${read.file}: ${read.refused}`);
      return { file: read.file, revision: read.revision, text: read.text ?? null };
    },
    'policy:check': (target) => use().edits.checkSync(target),
    'policy:save-rule': (revision, edit) => use().edits.saveRuleSync(revision, edit),
    'policy:delete-rule': (revision, ref) => use().edits.deleteRuleSync(revision, ref),
    'policy:save-document': (revision, text) => use().edits.saveDocumentSync(revision, text),
    'policy:explain': (request) => {
      // As `mcp-guard policy explain` does: the files as they are on disk now.
      ctx.policy.reloadSync();
      const snapshot = ctx.policy.current();
      const explained = explainCall(snapshot.engine, request, ctx.now());
      return explained.ok ? { ok: true, explanation: explained.explanation, problems: snapshot.problems } : explained;
    },
    'policy:import-sources': () => use().imports.sources(),
    'policy:import-preview': (source) => use().imports.previewSync(source),
    'policy:import': (source, revision, result) => use().imports.importSync(source, revision, result),
  };
}

/**
 * The revision is read before the files are loaded again, so it is never newer than the rules the
 * view shows: an edit made from a view of older rules is refused, never applied to rules unseen.
 */
function viewSync(ctx: PageContext): PolicyView {
  const { revision } = readUserPolicySync(ctx.policy.files.user);
  ctx.policy.reloadSync();
  const snapshot = ctx.policy.current();
  return policyPageView({ engine: snapshot.engine, files: ctx.policy.files, problems: ctx.policy.problems, versions: snapshot.versions, revision });
}

/** `policy:changed`: either policy file changed on disk (an edit here, by hand, the CLI, a managed update). */
export function policyEvents(ctx: PageContext): { onDidChange(listener: (change: PolicyChanged) => void): () => void } {
  return {
    onDidChange: (listener) => ctx.policy.watch(() => listener({ revision: readUserPolicySync(ctx.policy.files.user).revision })),
  };
}
