import { useState } from 'react';
import type { PolicyView, RuleList } from '../../../../shared/policy-page.js';
import { useGuard } from '../../../bridge/guard-context.js';
import { EmptyState } from '../../../components/page-states.js';
import { ruleTemplate, ruleText } from '../lib/rule-text.js';
import { ConfirmDialog } from './confirm-dialog.js';
import { RuleEditor, type EditorTarget } from './rule-editor.js';
import { ServerRulesTable, ToolRulesTable } from './rules-table.js';

/** The rules in force with their sources, the editor for yours, and deleting one of yours (after a confirmation). */
export function RulesSection({ view, reload }: { view: PolicyView; reload: () => void }) {
  const guard = useGuard();
  const [editing, setEditing] = useState<(EditorTarget & { key: number }) | undefined>(undefined);
  const [deleting, setDeleting] = useState<{ list: RuleList; id: string } | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ text: string; error: boolean } | undefined>(undefined);
  const userFile = view.layers.find((l) => l.source === 'user')?.file ?? 'your policy file';

  const open = (target: EditorTarget) => {
    setMessage(undefined);
    setEditing({ ...target, key: Date.now() });
  };
  const edit = (list: RuleList, id: string) => {
    const found = (list === 'rules' ? view.rules : view.servers).find((r) => r.source === 'user' && r.rule.id === id);
    if (found) open({ list, replaces: id, text: ruleText(found.rule) });
  };
  const remove = async (target: { list: RuleList; id: string }) => {
    setDeleting(undefined);
    setBusy(true);
    try {
      const result = await guard.policy['delete-rule'](view.revision, target);
      setMessage(
        result.ok
          ? { text: `Deleted rule ${target.id} from ${result.file}.`, error: false }
          : { text: `Rule ${target.id} was not deleted: ${result.reason}.`, error: true },
      );
    } catch (e) {
      setMessage({ text: `Rule ${target.id} was not deleted: ${e instanceof Error ? e.message : String(e)}.`, error: true });
    } finally {
      setBusy(false);
      reload();
    }
  };
  const actions = { onEdit: edit, onDelete: (list: RuleList, id: string) => setDeleting({ list, id }), busy };

  return (
    <section className="policy-section" aria-labelledby="policy-rules-title" id="policy-rules">
      <div className="section-head">
        <h3 id="policy-rules-title">Rules</h3>
        <button type="button" className="button" onClick={() => open({ list: 'rules', text: ruleTemplate('rules') })} disabled={editing !== undefined}>
          Add a rule
        </button>
      </div>
      <p className="subtle">{view.precedence}</p>
      <div role="status" aria-live="polite" className="section-status">
        {message && !message.error ? <p className="notice notice-info">{message.text}</p> : null}
      </div>
      {message?.error ? (
        <p role="alert" className="notice notice-error">
          {message.text}
        </p>
      ) : null}
      {editing ? (
        <RuleEditor
          key={editing.key}
          target={editing}
          revision={view.revision}
          file={userFile}
          onRefused={reload}
          onDone={(text) => {
            setEditing(undefined);
            if (text) setMessage({ text, error: false });
            reload();
          }}
        />
      ) : null}
      <h4 className="table-title">Tool rules</h4>
      {view.rules.length > 0 ? (
        <ToolRulesTable rules={view.rules} actions={actions} />
      ) : (
        <EmptyState>
          <p>No tool rules: every call is decided by the defaults below. Add a rule to allow, ask about or deny a tool (or a glob like mcp__github__*).</p>
        </EmptyState>
      )}
      <h4 className="table-title">Server rules</h4>
      {view.servers.length > 0 ? (
        <ServerRulesTable servers={view.servers} actions={actions} />
      ) : (
        <p className="subtle">
          No server rules. A server rule decides every tool of the servers it matches (by name, command, package or URL); add one with “Add a rule”.
        </p>
      )}
      <ConfirmDialog
        open={deleting !== undefined}
        title={`Delete rule ${deleting?.id ?? ''}?`}
        confirm="Delete rule"
        onCancel={() => setDeleting(undefined)}
        onConfirm={() => deleting && void remove(deleting)}
      >
        <p>{`It is removed from ${userFile}, and calls it decided are decided by the other rules and the defaults from then on.`}</p>
      </ConfirmDialog>
    </section>
  );
}
