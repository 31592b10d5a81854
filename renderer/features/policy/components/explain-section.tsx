import { useId, useState } from 'react';
import type { ExplainRequest, ExplainResult } from '../../../../shared/policy-page.js';
import { useGuard } from '../../../bridge/guard-context.js';
import { ExplainResultView } from './explain-result.js';
import './policy-forms.css';

/** "What would policy do with this call, and why?": the form `mcp-guard policy explain` takes, and its answer. */
export function ExplainSection() {
  const guard = useGuard();
  const ids = useId();
  const [form, setForm] = useState({ server: '', tool: '', client: '', arguments: '' });
  const [result, setResult] = useState<ExplainResult | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [key]: e.target.value }));
  const ready = form.server.trim() !== '' && form.tool.trim() !== '';

  const explain = async () => {
    setBusy(true);
    setResult(undefined);
    const request: ExplainRequest = {
      server: form.server.trim(),
      tool: form.tool.trim(),
      ...(form.client.trim() !== '' ? { client: form.client.trim() } : {}),
      ...(form.arguments.trim() !== '' ? { arguments: form.arguments } : {}),
    };
    try {
      setResult(await guard.policy.explain(request));
    } catch (e) {
      setResult({ ok: false, reason: e instanceof Error ? e.message : String(e) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="policy-section" aria-labelledby="policy-explain-title" id="policy-explain">
      <h3 id="policy-explain-title">Explain a call</h3>
      <p className="subtle">
        What the policy in force decides for a call, which layer and rule decide it, and the rules that matched but lost — as mcp-guard policy explain gives it.
        Grants are not counted.
      </p>
      <form
        className="explain-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (ready && !busy) void explain();
        }}
      >
        <div className="field">
          <label htmlFor={`${ids}-server`}>Server</label>
          <input id={`${ids}-server`} className="input" value={form.server} onChange={set('server')} placeholder="fs" autoComplete="off" required />
        </div>
        <div className="field">
          <label htmlFor={`${ids}-tool`}>Tool</label>
          <input
            id={`${ids}-tool`}
            className="input"
            value={form.tool}
            onChange={set('tool')}
            placeholder="write_file"
            autoComplete="off"
            required
            aria-describedby={`${ids}-tool-hint`}
          />
          <span id={`${ids}-tool-hint`} className="field-hint">
            Its own name, or mcp__server__tool
          </span>
        </div>
        <div className="field">
          <label htmlFor={`${ids}-client`}>Client (optional)</label>
          <input id={`${ids}-client`} className="input" value={form.client} onChange={set('client')} placeholder="claude-code" autoComplete="off" />
        </div>
        <div className="field explain-arguments">
          <label htmlFor={`${ids}-args`}>Arguments as JSON (optional)</label>
          <textarea
            id={`${ids}-args`}
            className="textarea"
            rows={3}
            value={form.arguments}
            onChange={set('arguments')}
            placeholder='{"path": "/tmp/notes.txt"}'
            spellCheck={false}
          />
        </div>
        <div className="explain-actions">
          <button type="submit" className="button button-primary" disabled={!ready || busy}>
            {busy ? 'Explaining…' : 'Explain'}
          </button>
        </div>
      </form>
      <div aria-live="polite">{result ? <ExplainResultView result={result} /> : null}</div>
    </section>
  );
}
