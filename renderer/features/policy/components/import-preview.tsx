import type { ImportPreview } from '../../../../shared/policy-page.js';
import { effectTag, plural } from '../lib/labels.js';

/** What the import would write, rule by rule, and what it leaves out and why; applying writes exactly this. */
export function ImportPreviewView({ preview, busy, onApply, onCancel }: { preview: ImportPreview; busy: boolean; onApply: () => void; onCancel: () => void }) {
  const { rules, skipped } = preview;
  return (
    <div className="panel import-preview" data-testid="import-preview">
      <h4>{rules.length === 0 ? 'Nothing to import' : `${plural(rules.length, 'rule')} to import`}</h4>
      {rules.length > 0 ? (
        <div className="table-wrap">
          <table className="table policy-table">
            <caption className="sr-only">Rules the import writes</caption>
            <thead>
              <tr>
                <th scope="col">Rule</th>
                <th scope="col">Tool</th>
                <th scope="col">Action</th>
                <th scope="col">Change</th>
              </tr>
            </thead>
            <tbody>
              {rules.map(({ rule, replaces }) => (
                <tr key={rule.id} data-testid="import-rule">
                  <td data-label="Rule">
                    <code>{rule.id}</code>
                  </td>
                  <td data-label="Tool">
                    <code>{rule.tool}</code>
                  </td>
                  <td data-label="Action">
                    <span className={effectTag[rule.action]}>{rule.action}</span>
                  </td>
                  <td data-label="Change">{replaces ? 'replaces the rule imported before' : 'new'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p>These settings name no MCP tool the guard understands.</p>
      )}
      {skipped.length > 0 ? (
        <>
          <p className="field-label">{`Left out (${skipped.length})`}</p>
          <ul className="plain-list" data-testid="import-skipped">
            {skipped.map((s, i) => (
              <li key={i}>
                <code>{s.entry}</code>
                {`: ${s.reason}`}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <div className="editor-actions">
        {rules.length > 0 ? (
          <button type="button" className="button button-primary" disabled={busy} onClick={onApply}>
            {`Import ${plural(rules.length, 'rule')}`}
          </button>
        ) : null}
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}
