/**
 * The server registry: one file per wrapped server, `<home>/servers/<server id>.json` (the id's
 * slashes are folders), written atomically (0600) by wrap and read by `mcp-guard run` when a
 * client starts a wrapped entry. One file per server: the launcher reads only its own record, and
 * a broken record breaks only its server. Records are checked by the validator compiled from
 * shared/server-registry.ts (no zod on the launch path).
 */
import { readdirSync, rmSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { SERVER_ID_PATTERN } from '../../shared/server-id.js';
import type { ServerRecord } from '../../shared/server-registry.js';
import { schemaProblems, type CompiledValidator } from '../policy/schema-problems.js';
import { validateServerRecord } from '../policy/generated/server-record-validator.js';
import { formatFileProblem, readJsonFileSync, writeFileAtomicSync, type FileProblem } from './atomic-file.js';
import type { ReadLimit } from './read-bounded.js';

const RECORD_LIMIT: ReadLimit = {
  what: 'server record',
  maxBytes: 1024 * 1024,
  fix: 'unwrap the server and wrap it again (mcp-guard unwrap --server NAME, then mcp-guard wrap --server NAME)',
};

const ID = new RegExp(SERVER_ID_PATTERN);

export type RecordRead = { state: 'missing' } | { state: 'ok'; record: ServerRecord } | { state: 'bad'; problems: FileProblem[] };

export class UnknownServerIdError extends Error {}

export class ServerRegistry {
  constructor(readonly dir: string) {}

  /** The record's file; throws for a string that is not a server id (so no id can name a path outside the registry). */
  fileOf(id: string): string {
    if (!ID.test(id)) throw new UnknownServerIdError(`"${id.slice(0, 200)}" is not a server id (like "claude-code/user/github")`);
    return join(this.dir, ...id.split('/')) + '.json';
  }

  readSync(id: string): RecordRead {
    const file = this.fileOf(id);
    const read = readJsonFileSync(file, RECORD_LIMIT);
    if (read.state !== 'parsed') return read;
    const problems = schemaProblems(validateServerRecord as CompiledValidator, read.value).map((p) => ({ file, ...p }));
    if (problems.length > 0) return { state: 'bad', problems };
    const record = read.value as ServerRecord;
    if (record.id !== id) return { state: 'bad', problems: [{ file, path: 'id', message: `says "${record.id}", but the file is that of "${id}"` }] };
    return { state: 'ok', record };
  }

  /** Every record, and the problems of those that do not read. */
  listSync(): { records: ServerRecord[]; problems: FileProblem[] } {
    const records: ServerRecord[] = [];
    const problems: FileProblem[] = [];
    for (const id of this.idsSync()) {
      const read = this.readSync(id);
      if (read.state === 'ok') records.push(read.record);
      else if (read.state === 'bad') problems.push(...read.problems);
    }
    return { records, problems };
  }

  writeSync(record: ServerRecord): void {
    writeFileAtomicSync(this.fileOf(record.id), JSON.stringify(record, null, 2) + '\n');
  }

  removeSync(id: string): void {
    rmSync(this.fileOf(id), { force: true });
  }

  private idsSync(): string[] {
    let entries: string[];
    try {
      entries = readdirSync(this.dir, { recursive: true, encoding: 'utf8' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    return entries
      .filter((e) => e.endsWith('.json'))
      .map((e) => relative('.', e.slice(0, -'.json'.length)).split(sep).join('/'))
      .filter((id) => ID.test(id))
      .sort();
  }
}

export function formatRecordProblems(problems: readonly FileProblem[]): string {
  return problems.map(formatFileProblem).join('\n');
}
