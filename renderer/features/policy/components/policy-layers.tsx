import type { PolicyLayerView, PolicyView } from '../../../../shared/policy-page.js';
import { defaultLabel, sourceLabel } from '../lib/labels.js';
import { LockedLabel } from './locked-label.js';

/** The two policy files (managed over yours), whether each is there, its mode, and any problem with it. */
export function PolicyLayers({ view }: { view: PolicyView }) {
  return (
    <ul className="policy-layers" aria-label="Policy files">
      {view.layers.map((layer) => (
        <li key={layer.source} className="policy-layer" data-testid={`layer-${layer.source}`}>
          <p className="policy-layer-title">
            {layer.source === 'managed' ? 'Managed policy' : 'Your policy'}
            {layer.locked ? <span className="tag tag-locked">locked</span> : <span className="tag">editable</span>}
            {layer.mode === 'monitor' ? <span className="tag tag-warn">monitor mode</span> : null}
            {layer.lockdown ? <span className="tag tag-bad">denying every call</span> : null}
          </p>
          <p className="subtle">
            <code>{layer.file}</code>
            {` — ${layerState(layer)}`}
          </p>
          {view.problems
            .filter((p) => p.file === layer.file)
            .map((p, i) => (
              <p key={i} className="field-error" role="alert">
                <code>{p.path}</code>
                {`: ${p.message}`}
              </p>
            ))}
        </li>
      ))}
    </ul>
  );
}

function layerState(layer: PolicyLayerView): string {
  if (!layer.present) return layer.source === 'managed' ? 'not present: no organisation policy on this machine' : 'not created yet: your first rule creates it';
  const version = layer.version !== undefined ? `, version ${layer.version}` : '';
  return `${layer.mode === 'monitor' ? 'in monitor mode (recorded, not enforced)' : 'in force'}${version}${layer.locked ? ', set by your organisation' : ''}`;
}

/** Every default in force with the layer that set it; managed ones locked. */
export function DefaultsTable({ view }: { view: PolicyView }) {
  const managed = view.layers.find((l) => l.source === 'managed')?.file ?? 'the managed policy';
  return (
    <div className="table-wrap">
      <table className="table policy-table" data-testid="defaults">
        <caption className="sr-only">Defaults in force</caption>
        <thead>
          <tr>
            <th scope="col">Setting</th>
            <th scope="col">Value</th>
            <th scope="col">Set by</th>
          </tr>
        </thead>
        <tbody>
          {view.defaults.map((d) => (
            <tr key={d.name}>
              <td data-label="Setting">
                {defaultLabel[d.name]} <code className="subtle">{`defaults.${d.name}`}</code>
              </td>
              <td data-label="Value">
                <strong>{d.value}</strong>
              </td>
              <td data-label="Set by">{d.locked ? <LockedLabel file={managed} /> : <span className="tag">{sourceLabel(d.source)}</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
