import type { Grant } from '../../shared/grant.js';
import { GrantFile } from '../../shared/grant.js';
import { formatPath } from '../policy/schema-problems.js';
import { formatFileProblem, readJsonFileSync, writeFileAtomicSync, type FileProblem } from './atomic-file.js';
import type { ReadLimit } from './read-bounded.js';

/**
 * How much of grants.json MCP Guard reads. Only lasting grants are written, each from a user's
 * answer to a prompt, about 350 bytes apiece: 8 MiB is over twenty thousand of them (one a minute,
 * every working hour, for months), far beyond real use, and still a quick load.
 */
export const GRANTS_READ_LIMIT: ReadLimit = {
  what: 'grants',
  maxBytes: 8 * 1024 * 1024,
  fix: 'revoke the grants you no longer need in the app, or move the file away to start without grants',
};

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
    const read = readJsonFileSync(this.file, GRANTS_READ_LIMIT);
    if (read.state === 'bad') return this.keepPrevious(read.problems);
    if (read.state === 'missing') {
      this.grants = [];
      this.problems = [];
      return this.grants;
    }
    const parsed = GrantFile.safeParse(read.value);
    if (!parsed.success) return this.keepPrevious(parsed.error.issues.map((i) => ({ file: this.file, path: formatPath(i.path), message: i.message })));
    this.grants = parsed.data.grants;
    this.problems = [];
    return this.grants;
  }

  private keepPrevious(problems: readonly FileProblem[]): Grant[] {
    this.problems = problems.map((p) => ({ ...p, message: `${p.message}; keeping the grants held before` }));
    for (const p of this.problems) this.report(formatFileProblem(p));
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
