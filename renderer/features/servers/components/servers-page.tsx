import { useEffect, useRef, useState } from 'react';
import type { ToolChangePrompt } from '../../../../shared/approvals.js';
import type { ServersList, WrapApplied } from '../../../../shared/servers-page.js';
import { useGuard } from '../../../bridge/guard-context.js';
import { Page } from '../../../components/page.js';
import { EmptyState, ErrorState, LoadingState } from '../../../components/page-states.js';
import { messageOf, usePrompts } from '../../approvals/hooks/use-prompts.js';
import { useServers } from '../hooks/use-servers.js';
import { type ServerFilter } from '../lib/labels.js';
import type { ServerCardActions } from './server-card.js';
import { ServerList } from './server-list.js';
import { ToolChangeDialog } from './tool-change-dialog.js';
import { WrapDialog, type WrapRequest } from './wrap-dialog.js';
import './servers.css';

type Outcome = { tone: 'ok' | 'error'; text: string };

/**
 * The Servers page: every server of every client and scope, wrapped or not, with what it runs,
 * its approval and its tools; wrap and unwrap with the exact diff first, approve a new or changed
 * server, review a changed tool side by side, disable or enable a server.
 */
export function ServersPage() {
  const guard = useGuard();
  const servers = useServers();
  const { prompts } = usePrompts();
  const changes = (prompts ?? []).filter((p): p is ToolChangePrompt => p.kind === 'tool-change');
  const [filter, setFilter] = useState<ServerFilter>('all');
  const [wrap, setWrap] = useState<WrapRequest | undefined>(undefined);
  const [reviewId, setReviewId] = useState<string | undefined>(undefined);
  const [outcome, setOutcome] = useState<Outcome | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const outcomeRef = useRef<HTMLParagraphElement>(null);
  const review = changes.find((c) => c.id === reviewId);

  useEffect(() => {
    if (outcome) outcomeRef.current?.focus();
  }, [outcome]);

  const act = async (what: () => Promise<Outcome>) => {
    setBusy(true);
    try {
      setOutcome(await what());
    } catch (e) {
      setOutcome({ tone: 'error', text: `It did not go through: ${messageOf(e)}.` });
    }
    setBusy(false);
    servers.reload();
  };

  const actions: ServerCardActions = {
    busy,
    canWrap: servers.state === 'ready' && servers.value.wrapping.ok,
    onWrap: (request) => setWrap(request),
    onReview: (prompt) => setReviewId(prompt.id),
    onApprove: (row) =>
      void act(async () => {
        const result = await guard.servers.approve(row.id!, row.identityHash!);
        return result.ok
          ? { tone: 'ok', text: `Approved ${row.name} as it is now. Its calls follow your policy from its next call on.` }
          : { tone: 'error', text: `${row.name} was not approved: ${result.reason}.` };
      }),
    onSetEnabled: (row, enabled) =>
      void act(async () => {
        const result = await guard.servers['set-enabled'](row.name, enabled);
        if (!result.ok) return { tone: 'error', text: `${row.name}: ${result.reason}.` };
        return enabled
          ? { tone: 'ok', text: `Enabled ${row.name}: its calls follow your policy again. Restart its client to start it again.` }
          : { tone: 'ok', text: `Disabled ${row.name}: every call is denied, with or without this app running, and its running processes were ended.` };
      }),
  };

  const closeWrap = (applied?: Extract<WrapApplied, { ok: true }>) => {
    const request = wrap;
    setWrap(undefined);
    if (applied && request) setOutcome(appliedOutcome(request, applied));
    servers.reload();
  };

  const ready = servers.state === 'ready' ? servers.value : undefined;
  const unwrapped = ready?.rows.filter((r) => r.state === 'unwrapped').length ?? 0;
  const wrapped = ready?.rows.filter((r) => r.state === 'wrapped').length ?? 0;
  const pageActions = ready ? (
    <>
      <button
        type="button"
        className="button button-primary"
        aria-disabled={unwrapped === 0 || !ready.wrapping.ok || busy}
        onClick={() =>
          unwrapped > 0 && ready.wrapping.ok && !busy && setWrap({ action: 'wrap', target: 'all', what: `every server that is not wrapped (${unwrapped})` })
        }
      >
        Wrap all…
      </button>
      <button
        type="button"
        className="button"
        aria-disabled={wrapped === 0 || busy}
        onClick={() => wrapped > 0 && !busy && setWrap({ action: 'unwrap', target: 'all', what: `every wrapped server (${wrapped})` })}
      >
        Unwrap all…
      </button>
    </>
  ) : undefined;

  return (
    <Page
      title="Servers"
      intro="Every MCP server of every client on this machine. Wrap a server so its calls pass through MCP Guard, approve what it runs, and review tools whose definitions changed."
      actions={pageActions}
      testId="servers-page"
    >
      <div role="status" className="servers-outcome-region">
        {outcome ? (
          <p ref={outcomeRef} tabIndex={-1} className={`notice ${outcome.tone === 'ok' ? 'notice-info' : 'notice-error'}`} data-testid="servers-outcome">
            {outcome.text}
          </p>
        ) : null}
      </div>
      {servers.state === 'loading' ? <LoadingState what="Reading the servers of every client…" /> : null}
      {servers.state === 'error' ? <ErrorState what="The servers could not be listed" error={servers.error} retry={servers.reload} /> : null}
      {ready ? <ServersContent list={ready} filter={filter} setFilter={setFilter} changes={changes} actions={actions} /> : null}
      {wrap ? <WrapDialog request={wrap} onClose={closeWrap} /> : null}
      {review ? (
        <ToolChangeDialog
          key={review.id}
          prompt={review}
          onClose={(answered) => {
            setReviewId(undefined);
            if (answered)
              setOutcome({
                tone: 'ok',
                text:
                  answered === 'approve'
                    ? `Approved the new definition of ${review.tool ?? 'the instructions'} on ${review.server}: its next tools/list shows it again.`
                    : `${review.tool ?? 'The instructions'} on ${review.server} stays blocked until the server lists another definition.`,
              });
            servers.reload();
          }}
        />
      ) : null}
    </Page>
  );
}

function ServersContent(props: {
  list: ServersList;
  filter: ServerFilter;
  setFilter: (f: ServerFilter) => void;
  changes: readonly ToolChangePrompt[];
  actions: ServerCardActions;
}) {
  const { list } = props;
  return (
    <>
      {!list.wrapping.ok ? <p className="server-warning" role="note">{`Wrapping is not available here: ${list.wrapping.reason}.`}</p> : null}
      {list.problems.length > 0 ? (
        <div className="state state-error" role="alert">
          <p>Some client files could not be read; their servers are missing below:</p>
          <ul>
            {list.problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {list.rows.length === 0 ? (
        <EmptyState>
          <p>No MCP servers found in any client config on this machine.</p>
          <p className="subtle">
            MCP Guard looks in Claude Code, Claude Desktop, Cursor, VS Code, Windsurf, Codex, Gemini CLI and Zed. Add a server to one of them (for example with{' '}
            <code>claude mcp add</code>) and it appears here.
          </p>
        </EmptyState>
      ) : (
        <ServerList rows={list.rows} filter={props.filter} setFilter={props.setFilter} changes={props.changes} actions={props.actions} />
      )}
    </>
  );
}

function appliedOutcome(request: WrapRequest, applied: Extract<WrapApplied, { ok: true }>): Outcome {
  const problems = applied.errors.map((e) => `${e.server ?? e.file}: ${e.message}`);
  if (applied.changed.length === 0) return { tone: 'error', text: `Nothing was ${request.action}ped${problems.length ? `: ${problems.join('; ')}` : ''}.` };
  const done = `${request.action === 'wrap' ? 'Wrapped' : 'Unwrapped'} ${applied.changed.join(', ')}.`;
  const next =
    request.action === 'wrap'
      ? ' Restart the client (or reload its MCP servers) so it starts them through MCP Guard; each is held until you approve it here.'
      : ' Restart the client so it runs them without MCP Guard.';
  return { tone: problems.length ? 'error' : 'ok', text: `${done}${next}${problems.length ? ` Not done: ${problems.join('; ')}.` : ''}` };
}
