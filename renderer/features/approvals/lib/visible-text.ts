/**
 * Makes invisible characters visible. A tool name, a path or an argument can carry bidi overrides
 * (U+202E shows "gpj.exe" as "exe.jpg"), zero-width characters or control codes, which would make
 * the prompt show something other than what the call does; each becomes a visible \uXXXX escape.
 * Used on identifiers and arguments, where exactness matters more than looks.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}]/gu;

export function visible(text: string): string {
  return text.replace(INVISIBLE, (ch) => {
    if (ch === '\n' || ch === '\t') return ch;
    const code = ch.codePointAt(0) ?? 0;
    return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** A JSON string literal of `text`, with what JSON leaves unescaped (bidi, zero-width…) escaped too. */
export function jsonString(text: string): string {
  return visible(JSON.stringify(text));
}

/** The first 12 hex digits of a hash, as the prompt shows it (the full hash is in the title and on demand). */
export function shortHash(hash: string): string {
  return hash.slice(0, 12);
}
