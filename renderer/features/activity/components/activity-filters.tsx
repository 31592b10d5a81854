import { useId, useState, type ReactNode } from 'react';
import type { ActivityFacets } from '../../../../shared/activity.js';
import { AuditEventKind, AuditOutcomeKind } from '../../../../shared/audit.js';
import { Effect } from '../../../../shared/decision.js';
import { EMPTY_FORM, filterOf, RANGES, type FilterForm } from '../lib/filter-form.js';
import { DECISION_LABEL, KIND_LABEL, OUTCOME_LABEL } from '../lib/labels.js';
import './activity-filters.css';

type Problems = Partial<Record<keyof FilterForm, string>>;

/**
 * The table's filters; each change applies at once. Server and tool take `*` wildcards and the
 * tool also matches as mcp__server__tool, as `mcp-guard audit --server/--tool` do; the names seen
 * in the log are offered as suggestions.
 */
export function ActivityFilters({
  form,
  problems,
  facets,
  onChange,
}: {
  form: FilterForm;
  problems: Problems;
  facets: ActivityFacets | undefined;
  onChange: (form: FilterForm) => void;
}) {
  const id = useId();
  // Open where there is room; folded on a narrow window, so the table is in sight.
  const [open, setOpen] = useState(() => !window.matchMedia('(max-width: 720px)').matches);
  const set = <K extends keyof FilterForm>(key: K, value: FilterForm[K]) => onChange({ ...form, [key]: value });
  const text = (key: 'text' | 'server' | 'tool', label: string, placeholder: string, list?: readonly string[]) => (
    <Field id={`${id}-${key}`} label={label} problem={problems[key]}>
      <input
        id={`${id}-${key}`}
        className="input"
        type="search"
        value={form[key]}
        placeholder={placeholder}
        maxLength={400}
        autoComplete="off"
        spellCheck={false}
        list={list ? `${id}-${key}-names` : undefined}
        aria-describedby={`${id}-hint${problems[key] ? ` ${id}-${key}-problem` : ''}`}
        aria-invalid={problems[key] ? true : undefined}
        onChange={(e) => set(key, e.currentTarget.value)}
      />
      {list ? (
        <datalist id={`${id}-${key}-names`}>
          {list.map((name) => (
            <option key={name} value={name} />
          ))}
        </datalist>
      ) : null}
    </Field>
  );
  const select = <K extends 'decision' | 'outcome' | 'kind' | 'client' | 'range'>(key: K, label: string, options: ReadonlyArray<readonly [string, string]>) => (
    <Field id={`${id}-${key}`} label={label}>
      <select id={`${id}-${key}`} className="select" value={form[key]} onChange={(e) => set(key, e.currentTarget.value as FilterForm[K])}>
        {options.map(([value, words]) => (
          <option key={value} value={value}>
            {words}
          </option>
        ))}
      </select>
    </Field>
  );
  const active = Object.keys(filterOf(form).filter).length;
  return (
    <details className="activity-filters panel" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>
        <span className="filters-title">Filters</span>
        <span className="subtle">{active > 0 ? `${active} in use` : 'none in use'}</span>
      </summary>
      <form role="search" aria-label="Filter the audit events" onSubmit={(e) => e.preventDefault()}>
        <div className="filters-grid">
          <div className="filters-wide">{text('text', 'Search', 'tool or arguments', undefined)}</div>
          {select('decision', 'Decision', [['', 'Any'], ...Effect.options.map((e) => [e, DECISION_LABEL[e]] as const)])}
          {select('outcome', 'Outcome', [['', 'Any'], ...AuditOutcomeKind.options.map((o) => [o, OUTCOME_LABEL[o]] as const)])}
          {text('server', 'Server', 'git*', facets?.servers)}
          {text('tool', 'Tool', '*_file', facets?.tools)}
          {select('client', 'Client', [['', 'Any'], ...clientOptions(facets, form.client)])}
          {select('kind', 'Event', [['', 'Any'], ...AuditEventKind.options.map((k) => [k, KIND_LABEL[k]] as const)])}
          {select(
            'range',
            'Time',
            RANGES.map((r) => [r.id, r.label] as const),
          )}
          {form.range === 'custom' ? (
            <>
              <Field id={`${id}-from`} label="From" problem={problems.from}>
                <input id={`${id}-from`} className="input" type="datetime-local" value={form.from} onChange={(e) => set('from', e.currentTarget.value)} />
              </Field>
              <Field id={`${id}-to`} label="To" problem={problems.to}>
                <input id={`${id}-to`} className="input" type="datetime-local" value={form.to} onChange={(e) => set('to', e.currentTarget.value)} />
              </Field>
            </>
          ) : null}
        </div>
        <div className="filters-foot">
          <p className="field-hint" id={`${id}-hint`}>
            Search: the tool’s name and its arguments as recorded (redacted). Server, tool: * wildcards; a tool also as mcp__server__tool, as in mcp-guard
            audit.
          </p>
          {active > 0 ? (
            <button type="button" className="button" onClick={() => onChange(EMPTY_FORM)}>
              Clear filters
            </button>
          ) : null}
        </div>
      </form>
    </details>
  );
}

/** The clients seen in the log, and the one chosen even if it is not among them (any more). */
function clientOptions(facets: ActivityFacets | undefined, chosen: string): ReadonlyArray<readonly [string, string]> {
  const names = facets?.clients ?? [];
  return [...names, ...(chosen !== '' && !names.includes(chosen) ? [chosen] : [])].map((c) => [c, c] as const);
}

function Field({ id, label, problem, children }: { id: string; label: string; problem?: string | undefined; children: ReactNode }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children}
      {problem ? (
        <span className="field-error" id={`${id}-problem`} role="alert">
          {problem}
        </span>
      ) : null}
    </div>
  );
}
