import { useId, useState } from 'react';
import type { PolicyEditResult, UserPolicyFile } from '../../../../shared/policy-page.js';
import { useGuard } from '../../../bridge/guard-context.js';
import { usePolicyCheck } from '../hooks/use-policy-check.js';
import { ProblemList } from './problem-list.js';
import './policy-forms.css';

/**
 * Your whole policy file as text, checked as you type exactly as `mcp-guard policy check FILE`
 * checks it: the way to fix a file that does not validate, or to change defaults and redaction.
 */
export function PolicyFileEditor({ file, onSaved, onRefused }: { file: UserPolicyFile; onSaved: (message: string) => void; onRefused: () => void }) {
  const guard = useGuard();
  const ids = useId();
  const [text, setText] = useState(file.text ?? '{\n  "version": 1\n}\n');
  const [saving, setSaving] = useState(false);
  const [refusal, setRefusal] = useState<Extract<PolicyEditResult, { ok: false }> | undefined>(undefined);
  const check = usePolicyCheck({ kind: 'document', text }, text);
  const problems = check.result?.problems ?? [];
  const valid = !check.checking && check.result !== undefined && problems.length === 0;
  const changed = text !== (file.text ?? '');

  const save = async () => {
    setSaving(true);
    setRefusal(undefined);
    try {
      const result = await guard.policy['save-document'](file.revision, text);
      if (result.ok) return onSaved(`Saved ${result.file}.`);
      setRefusal(result);
      onRefused();
    } catch (e) {
      setRefusal({ ok: false, reason: e instanceof Error ? e.message : String(e), problems: [] });
    } finally {
      setSaving(false);
    }
  };

  return (
    <form
      className="file-editor"
      data-testid="file-editor"
      onSubmit={(e) => {
        e.preventDefault();
        if (valid && changed && !saving) void save();
      }}
    >
      <div className="field">
        <label htmlFor={`${ids}-text`}>{`Contents of ${file.file}`}</label>
        <textarea
          id={`${ids}-text`}
          className="textarea file-text"
          rows={16}
          spellCheck={false}
          value={text}
          aria-describedby={`${ids}-check`}
          aria-invalid={problems.length > 0}
          onChange={(e) => setText(e.target.value)}
        />
      </div>
      <div id={`${ids}-check`} aria-live="polite">
        {check.error !== undefined ? <p className="field-error">{`Could not check the file: ${check.error}.`}</p> : null}
        {check.checking ? <p className="field-hint">Checking…</p> : null}
        {!check.checking && problems.length > 0 ? (
          <p className="field-error">{`${problems.length === 1 ? '1 problem' : `${problems.length} problems`}, as mcp-guard policy check reports them:`}</p>
        ) : null}
        {valid ? <p className="check-ok">Valid.</p> : null}
        <ProblemList problems={problems} />
      </div>
      {refusal ? (
        <div role="alert" className="state state-error">
          <p>{`Not saved: ${refusal.reason}.`}</p>
          <ProblemList problems={refusal.problems} testId="refusal-problems" />
        </div>
      ) : null}
      <div className="editor-actions">
        <button type="submit" className="button button-primary" disabled={!valid || !changed || saving}>
          {saving ? 'Saving…' : 'Save file'}
        </button>
      </div>
    </form>
  );
}
