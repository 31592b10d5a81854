import type { ReactNode } from 'react';

/** Term and value pairs as a `<dl>` (two columns, one at 360 px; `.term-list` in components.css); pairs without a value are left out. */
export function TermList({ terms }: { terms: ReadonlyArray<readonly [string, ReactNode]> }) {
  return (
    <dl className="term-list">
      {terms
        .filter(([, value]) => value !== undefined && value !== '')
        .map(([term, value]) => (
          <div className="term" key={term}>
            <dt>{term}</dt>
            <dd>{value}</dd>
          </div>
        ))}
    </dl>
  );
}
