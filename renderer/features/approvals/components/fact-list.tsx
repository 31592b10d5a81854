import type { ReactNode } from 'react';

/** A titled list of facts ("Agent", "Server"…): term and value pairs; absent values are left out. */
export function FactList({ title, facts, children }: { title: string; facts: ReadonlyArray<readonly [string, ReactNode]>; children?: ReactNode }) {
  return (
    <div className="facts">
      <h3>{title}</h3>
      <dl>
        {facts.map(([term, value]) => (
          <div className="fact" key={term}>
            <dt>{term}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      {children}
    </div>
  );
}
