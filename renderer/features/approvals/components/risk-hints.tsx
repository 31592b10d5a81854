import type { RiskHint } from '../../../../shared/decision.js';
import { riskHintLabel, riskTone } from '../lib/labels.js';
import { visible } from '../lib/visible-text.js';

/** What MCP Guard noticed about this call; destructive ones first and in the danger style. */
export function RiskHints({ hints }: { hints: readonly RiskHint[] }) {
  if (hints.length === 0) return null;
  const ordered = [...hints].sort((a, b) => rank(a) - rank(b));
  return (
    <div className="facts">
      <h3>What MCP Guard noticed</h3>
      <ul className="risks">
        {ordered.map((hint, i) => {
          const tone = riskTone(hint.kind);
          const label = riskHintLabel[hint.kind];
          return (
            <li className={`risk risk-${tone}`} key={`${hint.kind}:${i}`}>
              {tone === 'danger' ? <strong className="risk-label">{label}</strong> : <span className="risk-label">{label}</span>}
              {': '}
              <span className="risk-detail">{visible(hint.detail)}</span>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

function rank(hint: RiskHint): number {
  return { danger: 0, warning: 1, info: 2 }[riskTone(hint.kind)];
}
