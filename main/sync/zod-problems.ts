import type { z } from 'zod';
import { formatPath } from '../policy/schema-problems.js';
import type { FileProblem } from '../store/atomic-file.js';

const MAX_SHOWN = 80;

/**
 * A zod error as problems naming the file, the JSON path (`collectors[1].url`) and the value that
 * was there. Each unknown field is its own problem, its value not shown (a misplaced field may hold
 * what belongs in the keychain), and so is a value whose check asks for that (`params.hideInput`).
 */
export function zodProblems(error: z.ZodError, file: string): FileProblem[] {
  const problems: FileProblem[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys)
        problems.push({ file, path: formatPath([...issue.path, key]), message: 'unknown field; remove it (or check its spelling)' });
      continue;
    }
    const hidden = issue.code === 'custom' && (issue.params as { hideInput?: boolean } | undefined)?.hideInput === true;
    const input = valueAt(issue);
    const shown = hidden || input === undefined ? '' : ` (found ${describe(input)})`;
    // A bad record key: the key's own check says what a key must be.
    const said = issue.code === 'invalid_key' ? (issue.issues[0]?.message ?? issue.message) : issue.message;
    const message = input === undefined && issue.code === 'invalid_type' ? 'required, and missing' : `${said}${shown}`;
    problems.push({ file, path: formatPath(issue.path), message });
  }
  return problems;
}

/** The value the issue is about: a discriminated union reports the whole object for a bad `kind`, so show its `kind`. */
function valueAt(issue: z.core.$ZodIssue): unknown {
  const key = issue.path.at(-1);
  const input = issue.input;
  if (issue.code === 'invalid_union' && typeof key === 'string' && typeof input === 'object' && input !== null && !Array.isArray(input)) {
    return (input as Record<string, unknown>)[key];
  }
  return input;
}

function describe(value: unknown): string {
  const text = typeof value === 'object' && value !== null ? (Array.isArray(value) ? `an array of ${value.length}` : 'an object') : JSON.stringify(value);
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text;
}
