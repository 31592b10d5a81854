import type { PinFile, ServerPins } from '../../shared/pins.js';
import { pinFileProblems } from '../policy/file-validators.js';
import { readJsonFileSync, writeFileAtomicSync, type FileProblem } from './atomic-file.js';
import type { ReadLimit } from './read-bounded.js';

/**
 * How much of pins.json MCP Guard reads. The file grows with the tools of every server ever used:
 * each pin keeps the tool's whole definition (name, description, input schema; real servers list
 * 1–5 KiB per tool), and a pending change keeps an old and a new copy beside it. 32 MiB holds
 * several thousand tools in triplicate, far beyond real use, and still loads in well under a second.
 */
export const PINS_READ_LIMIT: ReadLimit = {
  what: 'tool pins',
  maxBytes: 32 * 1024 * 1024,
  fix: 'forget the pins of servers you no longer use (mcp-guard pins reset SERVER)',
};

export type PinLoad =
  | { state: 'ok'; pins: PinFile }
  /** The file is unreadable: callers hold every tool (trusting lists anew would undo pinning). */
  | { state: 'corrupt'; problems: FileProblem[]; previous: PinFile | undefined };

/**
 * pins.json: approved tool pins per server and the changes waiting for review. Written atomically
 * (0600); a corrupt file is never overwritten by an update, so a broken file cannot turn into a
 * fresh "trust on first use" of every server. `mcp-guard pins reset` is the way out.
 */
export class PinStore {
  private last: PinFile | undefined;

  constructor(readonly file: string) {}

  loadSync(): PinLoad {
    const read = readJsonFileSync(this.file, PINS_READ_LIMIT);
    if (read.state === 'missing') return { state: 'ok', pins: (this.last = { version: 1, servers: {} }) };
    if (read.state === 'bad') return { state: 'corrupt', problems: read.problems, previous: this.last };
    const problems = pinFileProblems(read.value);
    if (problems.length > 0) return { state: 'corrupt', problems: problems.map((p) => ({ file: this.file, ...p })), previous: this.last };
    return { state: 'ok', pins: (this.last = read.value as PinFile) };
  }

  /** Re-reads the file, applies `change` to one server's pins, writes atomically. Refuses to overwrite a corrupt file. */
  updateServerSync(server: string, change: (current: ServerPins | undefined) => ServerPins | undefined): PinFile {
    const loaded = this.loadSync();
    if (loaded.state === 'corrupt') {
      throw new Error(
        `pin file ${this.file} is invalid (${loaded.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}); not overwriting it. Inspect it, or run "mcp-guard pins reset" to start over`,
      );
    }
    const servers = { ...loaded.pins.servers };
    const next = change(servers[server]);
    if (next === undefined) delete servers[server];
    else servers[server] = next;
    const file: PinFile = { version: 1, servers };
    writeFileAtomicSync(this.file, JSON.stringify(file, null, 2) + '\n');
    this.last = file;
    return file;
  }

  /** Replaces the whole file (used by `pins reset` of a corrupt file). */
  replaceSync(file: PinFile): void {
    writeFileAtomicSync(this.file, JSON.stringify(file, null, 2) + '\n');
    this.last = file;
  }
}
