import * as Switch from '@radix-ui/react-switch';
import { useId } from 'react';
import type { ToolChangePrompt } from '../../../../shared/approvals.js';
import type { ServerRow } from '../../../../shared/servers-page.js';
import { shortHash, visible } from '../../approvals/lib/visible-text.js';
import { SCOPE_LABELS, STATE_TAGS, approvalTag } from '../lib/labels.js';
import { ServerIdentityFacts } from './server-identity.js';
import { ServerTools } from './server-tools.js';
import type { WrapRequest } from './wrap-dialog.js';

export type ServerCardActions = {
  onWrap: (request: WrapRequest) => void;
  onReview: (prompt: ToolChangePrompt) => void;
  onApprove: (row: ServerRow) => void;
  onSetEnabled: (row: ServerRow, enabled: boolean) => void;
  /** Wrapping is possible in this service (else the page says why, once). */
  canWrap: boolean;
  busy: boolean;
};

/** One server: where it is, its state, what it runs, whether that is approved, its tools, and what can be done. */
export function ServerCard({ row, changes, actions }: { row: ServerRow; changes: readonly ToolChangePrompt[]; actions: ServerCardActions }) {
  const titleId = useId();
  const state = STATE_TAGS[row.state];
  const approval = approvalTag(row);
  const changedTools = row.tools.filter((t) => t.state === 'changed').length;
  return (
    <article className="server-card" aria-labelledby={titleId} data-testid="server-card" data-server={row.name} data-state={row.state}>
      <header className="server-card-head">
        <h4 id={titleId} className="server-name">
          {visible(row.name)}
        </h4>
        <div className="server-tags">
          <span className={`tag tag-${state.tone}`} data-testid="server-state">
            {state.label}
          </span>
          {approval ? (
            <span className={`tag tag-${approval.tone}`} data-testid="server-approval">
              {approval.label}
            </span>
          ) : null}
          {changedTools > 0 ? <span className="tag tag-bad">{`${changedTools} changed ${changedTools === 1 ? 'tool' : 'tools'}`}</span> : null}
          {row.disabled ? <span className={`tag ${row.disabled.by === 'managed' ? 'tag-locked' : 'tag-bad'}`}>Disabled</span> : null}
        </div>
      </header>
      <p className="server-where">
        <span>{SCOPE_LABELS[row.scope]}</span>
        {row.projectDir !== undefined ? (
          <>
            {' · project '}
            <code>{visible(row.projectDir)}</code>
          </>
        ) : null}
        {' · '}
        <code>{visible(row.file)}</code>
      </p>
      {row.state !== 'wrapped' && row.detail === undefined ? <p className="subtle">{state.help}</p> : null}
      {row.detail !== undefined ? <p className="server-detail">{visible(row.detail)}</p> : null}
      <ServerIdentityFacts row={row} />
      {row.identityChanges.length > 0 ? (
        <div className="server-warning" data-testid="identity-changes">
          <p>
            <strong>Changed since you approved it:</strong>
          </p>
          <ul>
            {row.identityChanges.map((c) => (
              <li key={c}>{visible(c)}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {row.risks.length > 0 ? (
        <ul className="server-risks">
          {row.risks.map((r) => (
            <li key={r}>{visible(r)}</li>
          ))}
        </ul>
      ) : null}
      <ServerTools row={row} changes={changes} onReview={actions.onReview} />
      <ServerActions row={row} actions={actions} />
    </article>
  );
}

function ServerActions({ row, actions }: { row: ServerRow; actions: ServerCardActions }) {
  const switchId = useId();
  const what = `${row.name}`;
  const held = row.state === 'wrapped' && row.approved === false && row.id !== undefined && row.identityHash !== undefined;
  const switchable = row.state === 'wrapped' || row.state === 'ad-hoc';
  const locked = row.disabled !== undefined && row.disabled.by !== 'you';
  if (!held && !switchable && row.state !== 'unwrapped') return null;
  return (
    <div className="server-actions">
      {held ? (
        <button type="button" className="button button-primary" aria-disabled={actions.busy} onClick={() => !actions.busy && actions.onApprove(row)}>
          {`Approve this server`}
          <span className="subtle-inline">{`identity ${shortHash(row.identityHash!)}…`}</span>
        </button>
      ) : null}
      {row.state === 'unwrapped' ? (
        <button
          type="button"
          className="button button-primary"
          aria-disabled={!actions.canWrap || actions.busy}
          onClick={() => actions.canWrap && !actions.busy && actions.onWrap({ action: 'wrap', target: row.key, what })}
        >
          Wrap…<span className="sr-only">{` ${row.name}`}</span>
        </button>
      ) : null}
      {row.state === 'wrapped' ? (
        <button
          type="button"
          className="button"
          aria-disabled={actions.busy}
          onClick={() => !actions.busy && actions.onWrap({ action: 'unwrap', target: row.key, what })}
        >
          Unwrap…<span className="sr-only">{` ${row.name}`}</span>
        </button>
      ) : null}
      {switchable ? (
        <div className="server-switch">
          <Switch.Root
            id={switchId}
            className="switch"
            checked={row.disabled === undefined}
            disabled={locked || actions.busy}
            onCheckedChange={(on) => actions.onSetEnabled(row, on)}
          >
            <Switch.Thumb className="switch-thumb" />
          </Switch.Root>
          <label htmlFor={switchId}>{row.disabled === undefined ? 'Enabled' : 'Disabled'}</label>
          {row.disabled ? <span className="subtle">{disabledText(row.disabled)}</span> : null}
        </div>
      ) : null}
    </div>
  );
}

function disabledText(d: NonNullable<ServerRow['disabled']>): string {
  switch (d.by) {
    case 'you':
      return 'Every call is denied and its processes were ended.';
    case 'managed':
      return `Disabled by managed policy rule "${d.rule}"${d.reason ? ` (${d.reason})` : ''}; it cannot be enabled here.`;
    case 'user-policy':
      return `Denied by your policy rule "${d.rule}"; change it on the Policy page.`;
  }
}
