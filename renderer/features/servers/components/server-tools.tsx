import { useState } from 'react';
import type { ToolChangePrompt } from '../../../../shared/approvals.js';
import type { ServerRow } from '../../../../shared/servers-page.js';
import { visible } from '../../approvals/lib/visible-text.js';
import { TOOL_STATES, plural } from '../lib/labels.js';

/** Tools shown before "Show all"; changed ones are always shown. */
const FOLDED = 12;

/**
 * The server's tools as the pin file knows them, each with its pin state; a changed one (or
 * changed instructions) with the button that opens its diff, when a review is waiting for it.
 */
export function ServerTools({
  row,
  changes,
  onReview,
}: {
  row: ServerRow;
  changes: readonly ToolChangePrompt[];
  onReview: (prompt: ToolChangePrompt) => void;
}) {
  const [all, setAll] = useState(false);
  const reviewOf = (tool: string | undefined) => changes.find((c) => c.server === row.name && c.tool === tool);
  const instructions = reviewOf(undefined);
  const important = row.tools.filter((t) => t.state !== 'pinned');
  const shown =
    all || row.tools.length <= FOLDED
      ? row.tools
      : [...important, ...row.tools.filter((t) => t.state === 'pinned').slice(0, Math.max(0, FOLDED - important.length))];
  if (row.tools.length === 0 && !row.instructionsChanged && !row.pinsUnreadable) {
    return row.state === 'wrapped' || row.state === 'ad-hoc' ? (
      <p className="subtle">No tools pinned yet: they are pinned when the server first lists them.</p>
    ) : null;
  }
  return (
    <div className="server-tools">
      <h5 className="server-tools-title">{`Tools (${row.tools.length})`}</h5>
      {row.pinsUnreadable ? (
        <p className="server-warning">The pin file cannot be read: every tool is held until it is repaired (mcp-guard pins list).</p>
      ) : null}
      {row.instructionsChanged ? (
        <p className="server-warning">
          {'Its instructions changed since you approved them: every tool is held. '}
          {instructions ? (
            <button type="button" className="button" onClick={() => onReview(instructions)}>
              Review the new instructions
            </button>
          ) : (
            'Kept blocked until the server lists other instructions.'
          )}
        </p>
      ) : null}
      <ul className="tool-list">
        {shown.map((tool) => {
          const state = TOOL_STATES[tool.state];
          const review = tool.state === 'changed' ? reviewOf(tool.name) : undefined;
          return (
            <li key={tool.name} className="tool-item" data-testid="server-tool" data-tool={tool.name} data-state={tool.state}>
              <code className="tool-name">{visible(tool.name)}</code>
              <span className={`tag tag-${state.tone}`}>{state.label}</span>
              {review ? (
                <button type="button" className="button button-primary tool-review" onClick={() => onReview(review)}>
                  Review the change<span className="sr-only">{` to ${tool.name}`}</span>
                </button>
              ) : tool.state === 'changed' ? (
                <span className="subtle">kept blocked</span>
              ) : null}
            </li>
          );
        })}
      </ul>
      {shown.length < row.tools.length ? (
        <button type="button" className="button" aria-expanded={false} onClick={() => setAll(true)}>
          {`Show all ${plural(row.tools.length, 'tool')}`}
        </button>
      ) : null}
    </div>
  );
}
