/**
 * A line diff by longest common subsequence, for the tool-change prompt: what the user approved
 * against what the server lists now. Common leading lines are matched first (and trailing ones
 * when the table would be too large), so the table covers only the rest; a rest still too large
 * (over MAX_CELLS) is shown as all removed, then all added — every line, never a shortened diff.
 */
export type DiffLine = { readonly kind: 'same' | 'added' | 'removed'; readonly text: string };

const MAX_CELLS = 4_000_000;

export function lineDiff(before: string, after: string): DiffLine[] {
  const a = splitLines(before);
  const b = splitLines(after);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  // Trailing lines are matched ahead only when the table would be too large: matched from the end,
  // an added block reads shifted ("+ x, + }, + {" instead of "+ }, + {, + x").
  while ((endA - start + 1) * (endB - start + 1) > MAX_CELLS && endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const head = a.slice(0, start).map((text): DiffLine => ({ kind: 'same', text }));
  const tail = a.slice(endA).map((text): DiffLine => ({ kind: 'same', text }));
  return [...head, ...diffMiddle(a.slice(start, endA), b.slice(start, endB)), ...tail];
}

function splitLines(text: string): string[] {
  return text === '' ? [] : text.split('\n');
}

function diffMiddle(a: string[], b: string[]): DiffLine[] {
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0 || (n + 1) * (m + 1) > MAX_CELLS) {
    return [...a.map((text): DiffLine => ({ kind: 'removed', text })), ...b.map((text): DiffLine => ({ kind: 'added', text }))];
  }
  // lcs[i][j]: length of the LCS of a[i..] and b[j..], in one flat array.
  const width = m + 1;
  const lcs = new Uint32Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * width + j] = a[i] === b[j] ? lcs[(i + 1) * width + j + 1]! + 1 : Math.max(lcs[(i + 1) * width + j]!, lcs[i * width + j + 1]!);
    }
  }
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      out.push({ kind: 'same', text: a[i]! });
      i++;
      j++;
    } else if (lcs[(i + 1) * width + j]! >= lcs[i * width + j + 1]!) {
      // Removed lines before added ones, as the CLI's dry-run diffs show them.
      out.push({ kind: 'removed', text: a[i]! });
      i++;
    } else {
      out.push({ kind: 'added', text: b[j]! });
      j++;
    }
  }
  for (; i < n; i++) out.push({ kind: 'removed', text: a[i]! });
  for (; j < m; j++) out.push({ kind: 'added', text: b[j]! });
  return out;
}
