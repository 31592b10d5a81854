/**
 * A credential helper's command as the user types it (`gh auth token`, `op read "op://Dev/API key"`)
 * and as argv, the way it runs (no shell: no variables, pipes or globs). Words split on spaces;
 * single or double quotes keep spaces in a word; a backslash keeps the next character as it is.
 */

export type CommandLine = { ok: true; argv: string[] } | { ok: false; problem: string };

export function splitCommandLine(text: string): CommandLine {
  const argv: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote !== undefined) {
      if (ch === quote) quote = undefined;
      else if (ch === '\\' && quote === '"' && i + 1 < text.length) word += text[++i];
      else word += ch;
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
      if (inWord) argv.push(word);
      word = '';
      inWord = false;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
    } else if (ch === '\\' && i + 1 < text.length) {
      word += text[++i];
      inWord = true;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (quote !== undefined) return { ok: false, problem: `a ${quote === '"' ? 'double' : 'single'} quote is not closed` };
  if (inWord) argv.push(word);
  if (argv.length === 0) return { ok: false, problem: 'give the command to run, like gh auth token' };
  if (argv.some((a) => a === '')) return { ok: false, problem: 'an argument is empty ("" or \'\'); remove it' };
  return { ok: true, argv };
}

/** argv back as one line that splitCommandLine reads as the same argv. */
export function joinCommandLine(argv: readonly string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'"'"'`)}'`)).join(' ');
}
