import { useId } from 'react';
import type { Prompt } from '../../../../shared/approvals.js';
import { agentLabel } from '../lib/labels.js';
import { visible } from '../lib/visible-text.js';
import './queue-list.css';

/** The prompts waiting behind the active one, oldest first; choosing one makes it the active prompt. */
export function QueueList({ prompts, onSelect }: { prompts: readonly Prompt[]; onSelect: (id: string) => void }) {
  const headingId = useId();
  if (prompts.length === 0) return null;
  return (
    <section className="queue" aria-labelledby={headingId} data-testid="queue">
      <h2 id={headingId}>{`${prompts.length} more waiting`}</h2>
      <ul className="queue-list">
        {prompts.map((prompt) => (
          <li key={prompt.id} className="queue-item" data-prompt-id={prompt.id}>
            <button type="button" className="queue-button" onClick={() => onSelect(prompt.id)}>
              <QueueRow prompt={prompt} />
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

function QueueRow({ prompt }: { prompt: Prompt }) {
  if (prompt.kind === 'tool-change') {
    return (
      <>
        <span className="queue-tool">{prompt.tool === undefined ? 'Server instructions' : visible(prompt.tool)}</span>
        <span className="queue-server">{` on ${visible(prompt.server)}`}</span>
        <span className="queue-agent">{prompt.old === null ? ' · new tool to review' : ' · changed definition to review'}</span>
      </>
    );
  }
  return (
    <>
      <span className="queue-tool">{visible(prompt.tool.name)}</span>
      <span className="queue-server">{` on ${visible(prompt.server.name)}`}</span>
      <span className="queue-agent">{` · ${visible(agentLabel(prompt.agent))}`}</span>
      <span className="queue-count">{` · ${prompt.count === 1 ? '1 call' : `×${prompt.count} calls`}`}</span>
    </>
  );
}
