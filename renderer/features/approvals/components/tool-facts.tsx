import type { CallPrompt } from '../../../../shared/approvals.js';
import { annotationWords } from '../lib/labels.js';

/** What the tool says it does: its description and annotations (the server's own claims). */
export function ToolFacts({ tool }: { tool: CallPrompt['tool'] }) {
  const words = annotationWords(tool.annotations);
  return (
    <div className="facts">
      <h3>Tool</h3>
      <p className="tool-description">{tool.description === undefined || tool.description === '' ? 'The tool has no description.' : tool.description}</p>
      {words.length > 0 && (
        <>
          <p className="subtle">The server says about this tool:</p>
          <ul className="badges" aria-label="Tool annotations">
            {words.map((word, i) => (
              <li className="badge" key={`${i}:${word}`}>
                {word}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
