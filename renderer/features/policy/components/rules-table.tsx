import type { ReactNode } from 'react';
import type { RuleList, ServerRuleView, ToolRuleView } from '../../../../shared/policy-page.js';
import { effectTag } from '../lib/labels.js';
import { LockedLabel } from './locked-label.js';

export type RuleActions = { onEdit: (list: RuleList, id: string) => void; onDelete: (list: RuleList, id: string) => void; busy: boolean };

/** The tool rules in force, managed first; yours can be edited and deleted, managed ones say who set them. */
export function ToolRulesTable({ rules, actions }: { rules: readonly ToolRuleView[]; actions: RuleActions }) {
  return (
    <RulesFrame testId="tool-rules" caption="Tool rules" what="Tool">
      {rules.map((r) => (
        <RuleRow key={`${r.source}:${r.rule.id}`} testId={`rule-${r.source}-${r.rule.id}`} list="rules" view={r} actions={actions} what="Tool">
          <code>{r.rule.tool}</code>
          <ToolConditions view={r} />
        </RuleRow>
      ))}
    </RulesFrame>
  );
}

function ToolConditions({ view }: { view: ToolRuleView }) {
  const parts: string[] = [];
  if (view.rule.client !== undefined) parts.push(`client ${view.rule.client}`);
  if (view.rule.arguments !== undefined) parts.push('when the arguments match its schema');
  if (view.rule.allowGrants === false) parts.push('no grants: asked every time');
  return parts.length > 0 ? <span className="rule-conditions">{parts.join(' · ')}</span> : null;
}

/** The server rules in force: which servers they match and what they do to every call to them. */
export function ServerRulesTable({ servers, actions }: { servers: readonly ServerRuleView[]; actions: RuleActions }) {
  return (
    <RulesFrame testId="server-rules" caption="Server rules" what="Matches">
      {servers.map((r) => (
        <RuleRow key={`${r.source}:${r.rule.id}`} testId={`server-rule-${r.source}-${r.rule.id}`} list="servers" view={r} actions={actions} what="Matches">
          {Object.entries(r.rule.match).map(([key, value]) => (
            <span key={key} className="rule-match">
              {`${key}: `}
              <code>{typeof value === 'string' ? value : JSON.stringify(value)}</code>
            </span>
          ))}
        </RuleRow>
      ))}
    </RulesFrame>
  );
}

/** The table both rule lists share: rule, what it applies to (`what`), action, source, change. */
function RulesFrame({ testId, caption, what, children }: { testId: string; caption: string; what: string; children: ReactNode }) {
  return (
    <div className="table-wrap">
      <table className="table policy-table" data-testid={testId}>
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Rule</th>
            <th scope="col">{what}</th>
            <th scope="col">Action</th>
            <th scope="col">Source</th>
            <th scope="col">
              <span className="sr-only">Change</span>
            </th>
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

/** One rule: its id and reason, what it applies to (`children`), its action, source and the change buttons. */
function RuleRow(props: { testId: string; list: RuleList; view: ToolRuleView | ServerRuleView; actions: RuleActions; what: string; children: ReactNode }) {
  const { view: r } = props;
  return (
    <tr data-testid={props.testId}>
      <td data-label="Rule">
        <code className="rule-id">{r.rule.id}</code>
        {r.rule.reason ? <span className="rule-reason">{r.rule.reason}</span> : null}
      </td>
      <td data-label={props.what}>{props.children}</td>
      <td data-label="Action">
        <span className={effectTag[r.rule.action]}>{r.rule.action}</span>
      </td>
      <td data-label="Source">{r.locked ? <LockedLabel file={r.file} /> : <span className="tag">your policy</span>}</td>
      <RowActions list={props.list} id={r.rule.id} locked={r.locked} actions={props.actions} />
    </tr>
  );
}

function RowActions({ list, id, locked, actions }: { list: RuleList; id: string; locked: boolean; actions: RuleActions }) {
  if (locked) {
    return (
      <td data-label="Change" className="row-actions">
        <span className="subtle">read only</span>
      </td>
    );
  }
  return (
    <td data-label="Change" className="row-actions">
      <button type="button" className="button" disabled={actions.busy} onClick={() => actions.onEdit(list, id)} aria-label={`Edit rule ${id}`}>
        Edit
      </button>
      <button
        type="button"
        className="button button-danger"
        disabled={actions.busy}
        onClick={() => actions.onDelete(list, id)}
        aria-label={`Delete rule ${id}`}
      >
        Delete
      </button>
    </td>
  );
}
