import { useMemo } from 'react';
import { lineDiff, type DiffLine } from '../lib/line-diff.js';
import { visible } from '../lib/visible-text.js';
import './line-diff-view.css';

const SIGN: Record<DiffLine['kind'], string> = { added: '+', removed: '−', same: ' ' };
const SPOKEN: Record<DiffLine['kind'], string> = { added: 'Added: ', removed: 'Removed: ', same: '' };

/** Every line of both versions, added ones green with "+", removed ones red with "−" (and said so to screen readers). */
export function LineDiffView({ before, after }: { before: string; after: string }) {
  const lines = useMemo(() => lineDiff(before, after), [before, after]);
  const added = lines.filter((l) => l.kind === 'added').length;
  const removed = lines.filter((l) => l.kind === 'removed').length;
  return (
    <div className="diff">
      <p className="subtle" data-testid="diff-summary">{`${added} ${added === 1 ? 'line' : 'lines'} added, ${removed} removed`}</p>
      <pre className="diff-lines" data-testid="diff">
        {lines.map((line, i) => (
          <span className={`diff-line diff-${line.kind}`} key={i}>
            {SPOKEN[line.kind] !== '' && <span className="sr-only">{SPOKEN[line.kind]}</span>}
            <span className="diff-sign" aria-hidden="true">
              {SIGN[line.kind]}
            </span>
            {` ${visible(line.text)}\n`}
          </span>
        ))}
      </pre>
    </div>
  );
}
