import { useEffect, useState } from 'react';
import { useConnectionState, useGuard } from '../../../bridge/guard-context.js';
import type { Notify } from '../hooks/use-notices.js';
import { usePrompts } from '../hooks/use-prompts.js';
import { useShownReporter } from '../hooks/use-shown-reporter.js';
import { ConnectionProblem, EmptyState, LoadProblem, Loading, connectionProblem } from './approvals-states.js';
import { CallPromptCard } from './call-prompt-card.js';
import { QueueList } from './queue-list.js';
import { ToolChangeCard } from './tool-change-card.js';

/**
 * One active prompt and the queue behind it. The active prompt is the oldest, and stays active
 * while it waits (a newer arrival never swaps the card under the user's pointer) unless the user
 * picks another from the queue; when it is settled, the oldest remaining one takes its place.
 */
export function ApprovalsPanel({ notify }: { notify: Notify }) {
  const guard = useGuard();
  const connection = useConnectionState();
  const { prompts, error } = usePrompts();
  const [activeId, setActiveId] = useState<string | undefined>(undefined);
  const active = prompts?.find((p) => p.id === activeId) ?? prompts?.[0];

  useEffect(() => {
    if (active !== undefined && active.id !== activeId) setActiveId(active.id);
  }, [active, activeId]);

  const open = connection.kind === 'open';
  useShownReporter(guard, open ? active : undefined, connection.generation);

  const problem = connectionProblem(connection);
  if (problem !== undefined) return <ConnectionProblem reason={problem.reason} retrying={problem.retrying} />;
  if (!open) return <Loading what="Connecting to the MCP Guard service…" />;
  if (prompts === undefined) {
    if (error !== undefined) return <LoadProblem reason={error} />;
    return <Loading what="Loading the calls waiting for you…" />;
  }
  if (active === undefined) return <EmptyState />;

  // Wide windows put the queue beside the card, so every waiting call is in view with the answer.
  return (
    <div className="approvals-layout">
      {active.kind === 'call' ? <CallPromptCard key={active.id} prompt={active} notify={notify} /> : <ToolChangeCard key={active.id} prompt={active} />}
      <QueueList prompts={prompts.filter((p) => p !== active)} onSelect={setActiveId} />
    </div>
  );
}
