import type { ExplainResult, Explanation } from '../../../../shared/policy-page.js';
import { riskHintLabel } from '../../approvals/lib/labels.js';
import { effectTag } from '../lib/labels.js';
import './policy-forms.css';

type Match = Explanation['matched'][number];

/** The decision, who made it and why, the rules that lost, and the exact JSON `policy explain --json` prints. */
export function ExplainResultView({ result }: { result: ExplainResult }) {
  if (!result.ok) {
    return (
      <p role="alert" className="state state-error" data-testid="explain-error">
        {`Could not explain the call: ${result.reason}.`}
      </p>
    );
  }
  const e = result.explanation;
  return (
    <div className="panel explain-result" data-testid="explain-result">
      <p className="explain-verdict">
        <code>{`mcp__${e.server}__${e.tool}`}</code>
        {e.client !== null ? <span className="subtle">{` from ${e.client}`}</span> : null}
        <span className={effectTag[e.effect]} data-testid="explain-effect">
          {e.effect.toUpperCase()}
        </span>
      </p>
      <dl className="explain-facts">
        <dt>Decided by</dt>
        <dd>{decidedBy(e)}</dd>
        <dt>Reason</dt>
        <dd>{e.reason}</dd>
        {e.monitored !== null ? (
          <>
            <dt>Monitor mode</dt>
            <dd>{`recorded, not enforced: it would have been ${e.monitored}`}</dd>
          </>
        ) : null}
        <dt>Matched but lost</dt>
        <dd>{e.lost.length === 0 ? 'none' : <LostList lost={e.lost} />}</dd>
        {e.hints.length > 0 ? (
          <>
            <dt>Hints</dt>
            <dd>
              <ul className="plain-list">
                {e.hints.map((h, i) => (
                  <li key={i}>{`${riskHintLabel[h.kind]}: ${h.detail}`}</li>
                ))}
              </ul>
            </dd>
          </>
        ) : null}
      </dl>
      {result.problems.length > 0 ? (
        <p className="field-error">{`A policy file does not validate, so this is by the policy still in force: ${result.problems.join('; ')}`}</p>
      ) : null}
      <details className="explain-json">
        <summary>As JSON (what mcp-guard policy explain --json prints)</summary>
        <pre data-testid="explain-json">{JSON.stringify(e, null, 2)}</pre>
      </details>
    </div>
  );
}

function LostList({ lost }: { lost: readonly Match[] }) {
  return (
    <ul className="plain-list" data-testid="explain-lost">
      {lost.map((m, i) => (
        <li key={i}>
          <span className={effectTag[m.effect]}>{m.effect}</span>
          {` ${m.layer} ${m.kind} rule `}
          <code>{m.rule}</code>
          {`${m.monitored ? ' (monitor mode)' : ''} — ${m.reason}`}
        </li>
      ))}
    </ul>
  );
}

/** "managed layer, rule no-deletes"; a default: "the user layer's defaults (default)", "the built-in defaults". */
function decidedBy(e: Explanation): string {
  if (!e.rule.startsWith('default')) return `${e.layer} layer, rule ${e.rule}`;
  const whose = e.layer === 'default' ? 'the built-in defaults' : `the ${e.layer} layer's defaults`;
  return e.rule === 'default' ? whose : `${whose} (${e.rule})`;
}
