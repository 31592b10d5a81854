import type { Grant } from '../../shared/grant.js';
import { GrantFile } from '../../shared/grant.js';
import { formatPath } from '../policy/file-validators.js';
import { formatFileProblem, readTextIfExistsSync, writeFileAtomicSync, type FileProblem } from './policy-store.js';

/**
 * grants.json: the grants users gave in the app, written atomically (0600). A bad file is
 * reported and the grants held before stay in force; with none held, no grant is honoured (an
 * empty list only ever leads to more prompts, never fewer). Session grants are never written.
 */
export class GrantStore {
  private grants: Grant[] = [];
  problems: FileProblem[] = [];

  constructor(
    private readonly file: string,
    private readonly report: (problem: string) => void = () => {},
  ) {}

  /** Reads the file; on problems keeps the previous grants and reports each problem. */
  load(): Grant[] {
    const text = readTextIfExistsSync(this.file);
    if (text === undefined) {
      this.grants = [];
      this.problems = [];
      return this.grants;
    }
    const problems = parseGrantFile(text, this.file);
    if ('grants' in problems) {
      this.grants = problems.grants;
      this.problems = [];
    } else {
      this.problems = problems.problems.map((p) => ({ ...p, message: `${p.message}; keeping the grants held before` }));
      for (const p of this.problems) this.report(formatFileProblem(p));
    }
    return this.grants;
  }

  /** Writes every grant except session grants, which end with the session. */
  save(grants: readonly Grant[]): void {
    const lasting = grants.filter((g) => g.lifetime.kind !== 'session');
    const file: GrantFile = { version: 1, grants: lasting };
    writeFileAtomicSync(this.file, JSON.stringify(file, null, 2) + '\n');
    this.grants = [...grants];
  }
}

export function parseGrantFile(text: string, file: string): { grants: Grant[] } | { problems: FileProblem[] } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { problems: [{ file, path: '(root)', message: `not valid JSON: ${error instanceof Error ? error.message : String(error)}` }] };
  }
  const parsed = GrantFile.safeParse(value);
  if (!parsed.success) return { problems: parsed.error.issues.map((i) => ({ file, path: formatPath(i.path), message: i.message })) };
  return { grants: parsed.data.grants };
}
