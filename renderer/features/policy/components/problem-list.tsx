import type { PolicyPageProblem } from '../../../../shared/policy-page.js';

/** Problems as `mcp-guard policy check` prints them, one a line: the JSON path, then what is wrong. */
export function ProblemList({ problems, testId = 'problems' }: { problems: readonly PolicyPageProblem[]; testId?: string }) {
  if (problems.length === 0) return null;
  return (
    <ul className="policy-problems" data-testid={testId}>
      {problems.map((p, i) => (
        <li key={`${p.path}-${i}`} data-testid="problem">
          <code>{p.path}</code>
          {`: ${p.message}`}
        </li>
      ))}
    </ul>
  );
}
