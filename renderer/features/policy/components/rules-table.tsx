import type { RuleList, ServerRuleView, ToolRuleView } from '../../../../shared/policy-page.js';
import { effectTag } from '../lib/labels.js';
import { LockedLabel } from './locked-label.js';

export type RuleActions = { onEdit: (list: RuleList, id: string) => void; onDelete: (list: RuleList, id: string) => void; busy: boolean };

/** The tool rules in force, managed first; yours can be edited and deleted, managed ones say who set them. */
export function ToolRulesTable({ rules, actions }: { rules: readonly ToolRuleView[]; actions: RuleActions }) {
  return (
    <div className="table-wrap">
      <table className="table policy-table" data-testid="tool-rules">
        <caption className="sr-only">Tool rules</caption>
        <thead>
          <tr>
            <th scope="col">Rule</th>
            <th scope="col">Tool</th>
            <th scope="col">Action</th>
            <th scope="col">Source</th>
            <th scope="col">
              <span className="sr-only">Change</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rules.map((r) => (
            <tr key={`${r.source}:${r.rule.id}`} data-testid={`rule-${r.source}-${r.rule.id}`}>
              <td data-label="Rule">
                <code className="rule-id">{r.rule.id}</code>
                {r.rule.reason ? <span className="rule-reason">{r.rule.reason}</span> : null}
              </td>
              <td data-label="Tool">
                <code>{r.rule.tool}</code>
                <ToolConditions view={r} />
              </td>
              <td data-label="Action">
                <span className={effectTag[r.rule.action]}>{r.rule.action}</span>
              </td>
              <td data-label="Source">{r.locked ? <LockedLabel file={r.file} /> : <span className="tag">your policy</span>}</td>
              <RowActions list="rules" id={r.rule.id} locked={r.locked} actions={actions} />
            </tr>
          ))}
        </tbody>
      </table>
    </div>
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
    <div className="table-wrap">
      <table className="table policy-table" data-testid="server-rules">
        <caption className="sr-only">Server rules</caption>
        <thead>
          <tr>
            <th scope="col">Rule</th>
            <th scope="col">Matches</th>
            <th scope="col">Action</th>
            <th scope="col">Source</th>
            <th scope="col">
              <span className="sr-only">Change</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {servers.map((r) => (
            <tr key={`${r.source}:${r.rule.id}`} data-testid={`server-rule-${r.source}-${r.rule.id}`}>
              <td data-label="Rule">
                <code className="rule-id">{r.rule.id}</code>
                {r.rule.reason ? <span className="rule-reason">{r.rule.reason}</span> : null}
              </td>
              <td data-label="Matches">
                {Object.entries(r.rule.match).map(([key, value]) => (
                  <span key={key} className="rule-match">
                    {`${key}: `}
                    <code>{typeof value === 'string' ? value : JSON.stringify(value)}</code>
                  </span>
                ))}
              </td>
              <td data-label="Action">
                <span className={effectTag[r.rule.action]}>{r.rule.action}</span>
              </td>
              <td data-label="Source">{r.locked ? <LockedLabel file={r.file} /> : <span className="tag">your policy</span>}</td>
              <RowActions list="servers" id={r.rule.id} locked={r.locked} actions={actions} />
            </tr>
          ))}
        </tbody>
      </table>
    </div>
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
