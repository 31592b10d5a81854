import { useId, useState } from 'react';
import type { PolicyEditResult, RuleList } from '../../../../shared/policy-page.js';
import { useGuard } from '../../../bridge/guard-context.js';
import { usePolicyCheck } from '../hooks/use-policy-check.js';
import { listLabel, ruleFields, ruleTemplate } from '../lib/rule-text.js';
import { ProblemList } from './problem-list.js';
import './policy-forms.css';

export type EditorTarget = { list: RuleList; replaces?: string; text: string };

/**
 * One rule of your policy as JSON, checked as you type by the validator `mcp-guard policy check`
 * runs (in main, on the document the rule makes), with its messages by JSON path. Saving names the
 * revision the page loaded; main refuses it when the file changed since, or when it would not validate.
 */
export function RuleEditor({
  target,
  revision,
  file,
  onDone,
  onRefused,
}: {
  target: EditorTarget;
  revision: string;
  file: string;
  onDone: (message: string) => void;
  onRefused: () => void;
}) {
  const guard = useGuard();
  const ids = useId();
  const [list, setList] = useState<RuleList>(target.list);
  const [text, setText] = useState(target.text);
  const [saving, setSaving] = useState(false);
  const [refusal, setRefusal] = useState<Extract<PolicyEditResult, { ok: false }> | undefined>(undefined);
  const edit = { list, ...(target.replaces !== undefined ? { replaces: target.replaces } : {}), text };
  const check = usePolicyCheck({ kind: 'rule', edit }, `${list}\n${target.replaces ?? ''}\n${revision}\n${text}`);
  const problems = check.result?.problems ?? [];
  const fileProblems = check.result?.fileProblems ?? [];
  const valid = !check.checking && check.result !== undefined && problems.length === 0 && fileProblems.length === 0;

  const chooseList = (next: RuleList) => {
    if (text === ruleTemplate(list)) setText(ruleTemplate(next));
    setList(next);
  };
  const save = async () => {
    setSaving(true);
    setRefusal(undefined);
    try {
      const result = await guard.policy['save-rule'](revision, edit);
      if (result.ok) return onDone(`Saved rule to ${result.file}. It is in force for every proxy within a second.`);
      setRefusal(result);
      onRefused();
    } catch (e) {
      setRefusal({ ok: false, reason: e instanceof Error ? e.message : String(e), problems: [] });
    } finally {
      setSaving(false);
    }
  };

  const title = target.replaces !== undefined ? `Edit rule ${target.replaces}` : `New ${listLabel[list]}`;
  return (
    <form
      className="panel rule-editor"
      aria-labelledby={`${ids}-title`}
      data-testid="rule-editor"
      onSubmit={(e) => {
        e.preventDefault();
        if (valid && !saving) void save();
      }}
    >
      <h4 id={`${ids}-title`}>{title}</h4>
      {target.replaces === undefined ? (
        <fieldset className="rule-kind">
          <legend className="field-label">Kind</legend>
          {(['rules', 'servers'] as const).map((kind) => (
            <label key={kind} className="rule-kind-choice">
              <input type="radio" name={`${ids}-kind`} checked={list === kind} onChange={() => chooseList(kind)} />
              {kind === 'rules' ? ' Tool rule (a tool or a glob of tools)' : ' Server rule (every tool of matching servers)'}
            </label>
          ))}
        </fieldset>
      ) : null}
      <div className="field">
        <label htmlFor={`${ids}-text`}>Rule as JSON</label>
        <textarea
          id={`${ids}-text`}
          className="textarea rule-text"
          value={text}
          spellCheck={false}
          rows={Math.min(16, Math.max(7, text.split('\n').length + 1))}
          aria-describedby={`${ids}-fields ${ids}-check`}
          aria-invalid={problems.length > 0}
          onChange={(e) => setText(e.target.value)}
        />
        <p id={`${ids}-fields`} className="field-hint">{`Fields: ${ruleFields[list]}.`}</p>
      </div>
      <div id={`${ids}-check`} className="rule-check" aria-live="polite" data-testid="rule-check">
        <CheckLine
          checking={check.checking}
          error={check.error}
          problems={problems.length}
          fileProblems={fileProblems.length}
          at={check.result?.at}
          file={file}
        />
        <ProblemList problems={problems} />
        <ProblemList problems={fileProblems} testId="file-problems" />
      </div>
      {refusal ? (
        <div role="alert" className="state state-error" data-testid="save-refused">
          <p>{`Not saved: ${refusal.reason}.`}</p>
          <ProblemList problems={refusal.problems} testId="refusal-problems" />
        </div>
      ) : null}
      <div className="editor-actions">
        <button type="submit" className="button button-primary" disabled={!valid || saving}>
          {saving ? 'Saving…' : 'Save rule'}
        </button>
        <button type="button" className="button" onClick={() => onDone('')}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function CheckLine(p: { checking: boolean; error: string | undefined; problems: number; fileProblems: number; at: string | undefined; file: string }) {
  if (p.error !== undefined) return <p className="field-error">{`Could not check the rule: ${p.error}. Keep typing to try again.`}</p>;
  if (p.checking) return <p className="field-hint">Checking…</p>;
  if (p.fileProblems > 0)
    return <p className="field-error">Your policy file itself does not validate, so no rule can be saved into it. Fix it under “Edit the whole file” below.</p>;
  if (p.problems > 0)
    return (
      <p className="field-error">{`${p.problems === 1 ? '1 problem' : `${p.problems} problems`}${p.at ? ` (this rule is ${p.at} of your policy)` : ''}, as mcp-guard policy check reports them:`}</p>
    );
  return <p className="check-ok" data-testid="rule-valid">{`Valid${p.at ? `: it would be ${p.at} of ${p.file}` : ''}.`}</p>;
}
