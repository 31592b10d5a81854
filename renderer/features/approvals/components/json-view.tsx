import { useState, type ReactNode } from 'react';
import { jsonString } from '../lib/visible-text.js';

/**
 * A JSON value pretty-printed as JSON (two-space indent), with every string longer than
 * FOLD_CHARS characters or FOLD_LINES lines folded behind a "Show all (N characters)" button: a
 * long argument never pushes the rest of the prompt out of sight, and nothing is cut without saying
 * so. Invisible characters show as escapes (lib/visible-text.ts). Lines wrap; nothing scrolls away.
 */
export const FOLD_CHARS = 200;
export const FOLD_LINES = 8;

export function JsonView({ value }: { value: unknown }) {
  return (
    <pre className="json">
      <JsonNode value={value} indent="" />
    </pre>
  );
}

function JsonNode({ value, indent }: { value: unknown; indent: string }): ReactNode {
  if (typeof value === 'string') return <JsonText text={value} />;
  if (value === null || typeof value === 'boolean' || typeof value === 'number') return <span className="json-literal">{String(value)}</span>;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const inner = `${indent}  `;
    return (
      <>
        {'[\n'}
        {value.map((item: unknown, i) => (
          <span key={i}>
            {inner}
            <JsonNode value={item} indent={inner} />
            {i < value.length - 1 ? ',\n' : '\n'}
          </span>
        ))}
        {`${indent}]`}
      </>
    );
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return '{}';
    const inner = `${indent}  `;
    return (
      <>
        {'{\n'}
        {entries.map(([key, item], i) => (
          <span key={key}>
            {inner}
            <span className="json-key">{jsonString(key)}</span>
            {': '}
            <JsonNode value={item} indent={inner} />
            {i < entries.length - 1 ? ',\n' : '\n'}
          </span>
        ))}
        {`${indent}}`}
      </>
    );
  }
  // Not JSON (undefined, a bigint…): the contract allows `unknown`, so say what it is.
  return <span className="json-literal">{`(${typeof value})`}</span>;
}

function JsonText({ text }: { text: string }) {
  const [open, setOpen] = useState(false);
  const chars = Array.from(text);
  const lines = text.split('\n').length;
  if (chars.length <= FOLD_CHARS && lines <= FOLD_LINES) return <span className="json-string">{jsonString(text)}</span>;
  if (open) {
    return (
      <>
        <span className="json-string">{jsonString(text)}</span>{' '}
        <button type="button" className="fold-button" aria-expanded="true" onClick={() => setOpen(false)}>
          Fold
        </button>
      </>
    );
  }
  const head = chars.slice(0, FOLD_CHARS).join('').split('\n').slice(0, FOLD_LINES).join('\n');
  const quoted = jsonString(head);
  return (
    <>
      <span className="json-string">
        {quoted.slice(0, -1)}
        <span className="json-fold-mark">…</span>
        {'"'}
      </span>{' '}
      <button type="button" className="fold-button" aria-expanded="false" onClick={() => setOpen(true)}>
        {`Show all (${chars.length} characters)`}
      </button>
    </>
  );
}
