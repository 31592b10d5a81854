import { useId, useState, type ReactNode } from 'react';
import type { ImportPreview, ImportSource } from '../../../../shared/policy-page.js';
import { useConnectionState, useGuard } from '../../../bridge/guard-context.js';
import { ErrorState, LoadingState } from '../../../components/page-states.js';
import { useRemote } from '../../../components/use-remote.js';
import { plural } from '../lib/labels.js';
import { ImportPreviewView } from './import-preview.js';
import { ProblemList } from './problem-list.js';
import './policy-forms.css';

const PASTE = '(paste)';

/**
 * Claude Code's `permissions.allow/ask/deny` entries for MCP tools as rules of your policy, as
 * `mcp-guard policy import-claude` makes them: a preview first, then exactly that is written.
 */
export function ImportSection({ onImported }: { onImported: () => void }) {
  const guard = useGuard();
  const connection = useConnectionState();
  const ids = useId();
  const sources = useRemote(() => guard.policy['import-sources'](), [guard, connection.generation]);
  const [choice, setChoice] = useState<string | undefined>(undefined);
  const [pasted, setPasted] = useState('');
  const [preview, setPreview] = useState<{ source: ImportSource; preview: ImportPreview } | undefined>(undefined);
  const [problem, setProblem] = useState<{ reason: string; problems: { path: string; message: string }[] } | undefined>(undefined);
  const [done, setDone] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  if (sources.state === 'loading') return <Frame ids={ids}>{<LoadingState what="Looking for Claude Code settings…" />}</Frame>;
  if (sources.state === 'error')
    return <Frame ids={ids}>{<ErrorState what="Could not look for Claude Code settings" error={sources.error} retry={sources.reload} />}</Frame>;
  const found = sources.value.filter((s) => s.exists);
  const selected = choice ?? found[0]?.path ?? PASTE;
  const source: ImportSource = selected === PASTE ? { kind: 'text', text: pasted } : { kind: 'file', path: selected };
  const run = async (step: () => Promise<void>) => {
    setBusy(true);
    setProblem(undefined);
    try {
      await step();
    } catch (e) {
      setProblem({ reason: e instanceof Error ? e.message : String(e), problems: [] });
    } finally {
      setBusy(false);
    }
  };
  const showPreview = () =>
    run(async () => {
      setDone(undefined);
      const result = await guard.policy['import-preview'](source);
      if (result.ok) setPreview({ source, preview: result.preview });
      else setProblem(result);
    });
  const apply = (p: NonNullable<typeof preview>) =>
    run(async () => {
      const result = await guard.policy.import(p.source, p.preview.revision, p.preview.result);
      if (!result.ok) return setProblem(result);
      setPreview(undefined);
      setDone(`Imported ${plural(p.preview.rules.length, 'rule')} into ${result.file}.`);
      onImported();
    });

  return (
    <Frame ids={ids}>
      <fieldset className="import-sources">
        <legend className="field-label">Read the permissions from</legend>
        {sources.value.map((s) => (
          <label key={s.path} className="import-choice">
            <input
              type="radio"
              name={`${ids}-source`}
              value={s.path}
              checked={selected === s.path}
              disabled={!s.exists}
              onChange={() => (setChoice(s.path), setPreview(undefined))}
            />
            {` ${s.label}: `}
            <code>{s.path}</code>
            {s.exists ? '' : ' (not found)'}
          </label>
        ))}
        <label className="import-choice">
          <input type="radio" name={`${ids}-source`} value={PASTE} checked={selected === PASTE} onChange={() => (setChoice(PASTE), setPreview(undefined))} />
          {' Settings I paste here'}
        </label>
      </fieldset>
      {selected === PASTE ? (
        <div className="field">
          <label htmlFor={`${ids}-paste`}>Claude Code settings (JSON)</label>
          <textarea
            id={`${ids}-paste`}
            className="textarea"
            rows={5}
            spellCheck={false}
            value={pasted}
            placeholder='{"permissions": {"allow": ["mcp__github__get_issue"], "deny": ["mcp__github__delete_repo"]}}'
            onChange={(e) => (setPasted(e.target.value), setPreview(undefined))}
          />
        </div>
      ) : null}
      <div className="editor-actions">
        <button type="button" className="button" disabled={busy || (selected === PASTE && pasted.trim() === '')} onClick={() => void showPreview()}>
          Preview the import
        </button>
      </div>
      <div aria-live="polite">
        {done ? <p className="notice notice-info">{done}</p> : null}
        {preview ? (
          <ImportPreviewView preview={preview.preview} busy={busy} onApply={() => void apply(preview)} onCancel={() => setPreview(undefined)} />
        ) : null}
      </div>
      {problem ? (
        <div role="alert" className="state state-error" data-testid="import-error">
          <p>{`${problem.reason}.`}</p>
          <ProblemList problems={problem.problems} />
        </div>
      ) : null}
    </Frame>
  );
}

function Frame({ ids, children }: { ids: string; children: ReactNode }) {
  return (
    <section className="policy-section" aria-labelledby={`${ids}-title`} id="policy-import">
      <h3 id={`${ids}-title`}>Import from Claude Code</h3>
      <p className="subtle">
        Each MCP tool in Claude Code&apos;s permissions (allow, ask, deny) becomes a rule of your policy with the same meaning. Nothing is removed; rules
        imported before are replaced by id.
      </p>
      {children}
    </section>
  );
}
