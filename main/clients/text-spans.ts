/** Replacing spans of a text, as edits of several entries of one file do. */

export type TextSpan = { start: number; end: number; replacement: string };

/** `text` with each span replaced; spans may come in any order, and two that overlap are an error (two edits of one entry). */
export function replaceSpans(text: string, spans: readonly TextSpan[]): string {
  const sorted = [...spans].sort((a, b) => b.start - a.start);
  let out = text;
  let limit = Infinity;
  for (const s of sorted) {
    if (s.end > limit) throw new Error('two edits of the same entry');
    out = out.slice(0, s.start) + s.replacement + out.slice(s.end);
    limit = s.start;
  }
  return out;
}
