import { diffLines, diffWordsWithSpace } from 'diff';
import { useMemo } from 'react';
import './side-by-side-diff.css';

/**
 * Two versions of a text side by side, line against line (jsdiff's line diff): removed lines on
 * the left in red, added ones on the right in green, a changed line's changed words marked, lines
 * that are the same on both sides plain. Every line of both versions is shown; nothing is folded.
 * Screen readers hear "Removed:" and "Added:" before changed lines. Below 640 px the two sides
 * stack, each line labelled with its side. Invisible characters are shown as escapes by `show`.
 */
export type SideCell = { line: number; text: string; kind: 'same' | 'removed' | 'added'; words?: { text: string; changed: boolean }[] };
export type SideRow = { left?: SideCell; right?: SideCell };

/** Longest line whose words are compared (beyond it, the whole line is marked as changed). */
const MAX_WORD_DIFF = 20_000;

export function sideBySideRows(before: string, after: string): SideRow[] {
  const changes = diffLines(before, after);
  const rows: SideRow[] = [];
  let left = 1;
  let right = 1;
  for (let i = 0; i < changes.length; i++) {
    const change = changes[i]!;
    const lines = splitLines(change.value);
    if (!change.added && !change.removed) {
      for (const text of lines) rows.push({ left: { line: left++, text, kind: 'same' }, right: { line: right++, text, kind: 'same' } });
      continue;
    }
    const next = changes[i + 1];
    const removed = change.removed ? lines : [];
    const added = change.added ? lines : change.removed && next?.added ? splitLines(next.value) : [];
    if (change.removed && next?.added) i++;
    for (let k = 0; k < Math.max(removed.length, added.length); k++) {
      const was = removed[k];
      const now = added[k];
      const pair = was !== undefined && now !== undefined ? wordsOf(was, now) : undefined;
      rows.push({
        ...(was !== undefined ? { left: { line: left++, text: was, kind: 'removed' as const, ...(pair ? { words: pair.left } : {}) } } : {}),
        ...(now !== undefined ? { right: { line: right++, text: now, kind: 'added' as const, ...(pair ? { words: pair.right } : {}) } } : {}),
      });
    }
  }
  return rows;
}

function splitLines(value: string): string[] {
  if (value === '') return [];
  return value.replace(/\n$/, '').split('\n');
}

function wordsOf(was: string, now: string): { left: SideCell['words']; right: SideCell['words'] } | undefined {
  if (was.length > MAX_WORD_DIFF || now.length > MAX_WORD_DIFF) return undefined;
  const left: { text: string; changed: boolean }[] = [];
  const right: { text: string; changed: boolean }[] = [];
  for (const part of diffWordsWithSpace(was, now)) {
    if (!part.added) left.push({ text: part.value, changed: part.removed });
    if (!part.removed) right.push({ text: part.value, changed: part.added });
  }
  return { left, right };
}

const SPOKEN: Record<SideCell['kind'], string> = { removed: 'Removed: ', added: 'Added: ', same: '' };

export function SideBySideDiff({
  before,
  after,
  beforeLabel,
  afterLabel,
  caption,
  show = (text) => text,
}: {
  before: string;
  after: string;
  beforeLabel: string;
  afterLabel: string;
  caption: string;
  /** How a text is shown (e.g. with invisible characters escaped). */
  show?: (text: string) => string;
}) {
  const rows = useMemo(() => sideBySideRows(before, after), [before, after]);
  const removed = rows.filter((r) => r.left?.kind === 'removed').length;
  const added = rows.filter((r) => r.right?.kind === 'added').length;
  return (
    <div className="sbs" data-testid="side-by-side-diff">
      <p className="subtle" data-testid="side-by-side-summary">
        {removed + added === 0 ? 'No line differs.' : `${removed} ${removed === 1 ? 'line' : 'lines'} removed, ${added} added.`}
      </p>
      <div className="sbs-scroll">
        <table className="sbs-table">
          <caption className="sr-only">{caption}</caption>
          <thead>
            <tr>
              <th scope="col">{beforeLabel}</th>
              <th scope="col">{afterLabel}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row, i) => (
              <tr key={i} className={row.left?.kind === 'same' ? 'sbs-row-same' : 'sbs-row-changed'}>
                <Cell cell={row.left} side={beforeLabel} show={show} />
                <Cell cell={row.right} side={afterLabel} show={show} />
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function Cell({ cell, side, show }: { cell: SideCell | undefined; side: string; show: (text: string) => string }) {
  if (cell === undefined)
    return (
      <td className="sbs-cell sbs-none" data-side={side}>
        <span className="sr-only">(no line)</span>
      </td>
    );
  return (
    <td className={`sbs-cell sbs-${cell.kind}`} data-side={cell.kind === 'same' ? 'Both' : side}>
      <div className="sbs-line">
        <span className="sbs-num" aria-hidden="true">
          {cell.line}
        </span>
        {SPOKEN[cell.kind] !== '' ? <span className="sr-only">{SPOKEN[cell.kind]}</span> : null}
        <code className="sbs-text">
          {cell.words
            ? cell.words.map((w, i) =>
                w.changed ? (
                  <mark className="sbs-word" key={i}>
                    {show(w.text)}
                  </mark>
                ) : (
                  <span key={i}>{show(w.text)}</span>
                ),
              )
            : show(cell.text)}
        </code>
      </div>
    </td>
  );
}
