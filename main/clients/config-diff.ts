/**
 * The diff `wrap --dry-run` and `unwrap --dry-run` print per file. Edits touch a few entries of a
 * file that may hold thousands of lines (~/.claude.json), so only the lines between the first and
 * the last change are compared. Secret values are masked: the diff goes to a terminal.
 */
import { lineDiff } from '../policy/text-diff.js';

const CONTEXT = 2;
/** Beyond this many changed lines on a side, the middle is shown as removed and added whole. */
const MAX_COMPARED = 2000;

export function configDiff(path: string, before: string, after: string, secrets: readonly string[]): string {
  const a = before.split('\n');
  const b = after.split('\n');
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const from = Math.max(0, start - CONTEXT);
  const middleA = a.slice(start, endA);
  const middleB = b.slice(start, endB);
  const middle =
    middleA.length <= MAX_COMPARED && middleB.length <= MAX_COMPARED
      ? removalsFirst(lineDiff(middleA.join('\n'), middleB.join('\n')).split('\n'))
      : [...middleA.map((l) => `- ${l}`), ...middleB.map((l) => `+ ${l}`)];
  const lines = [
    `--- ${path}`,
    `+++ ${path}`,
    `@@ line ${start + 1} @@`,
    ...a.slice(from, start).map((l) => `  ${l}`),
    ...middle,
    ...a.slice(endA, endA + CONTEXT).map((l) => `  ${l}`),
  ];
  return mask(lines.join('\n'), secrets);
}

/** In each run of changed lines, the removed ones before the added ones, as diffs are read. */
function removalsFirst(lines: readonly string[]): string[] {
  const out: string[] = [];
  let run: string[] = [];
  const flush = () => {
    out.push(...run.filter((l) => l.startsWith('- ')), ...run.filter((l) => l.startsWith('+ ')));
    run = [];
  };
  for (const line of lines) {
    if (line.startsWith('- ') || line.startsWith('+ ')) run.push(line);
    else {
      flush();
      out.push(line);
    }
  }
  flush();
  return out;
}

/** Every secret value replaced by a mark of its length, longest first (one may contain another). */
export function mask(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of [...secrets].filter((s) => s.length > 0).sort((x, y) => y.length - x.length)) out = out.split(s).join('«secret»');
  return out;
}
