/**
 * server-approvals.json: which identity of each wrapped server the user approved. A server whose
 * record's identity hash is not the approved one is new (or changed: another version, binary or
 * URL), and `defaults.newServers` applies to its calls until it is approved again; approving is
 * keyed to the identity, so an identity change voids it. Read by the proxy (no zod there: the
 * shape is small and checked by hand), written by the CLI and the service.
 */
import { canonicalJson, sha256Hex } from '../common/canonical-json.js';
import type { ServerIdentity } from '../../shared/server-registry.js';
import { readJsonFileSync, writeFileAtomicSync, type FileProblem } from './atomic-file.js';
import { MAX_HASHED_BYTES, sha256FileSync } from './file-hash.js';
import type { ReadLimit } from './read-bounded.js';

const LIMIT: ReadLimit = {
  what: 'server approvals',
  maxBytes: 8 * 1024 * 1024,
  fix: 'remove approvals of servers you no longer use (mcp-guard servers forget ID)',
};

/** The hash of the approved identity, when, and the identity itself (what a changed server is compared with). */
export type ServerApproval = { identity: string; approvedAt: string; approved?: ServerIdentity };
export type ApprovalsLoad = { state: 'ok'; servers: Record<string, ServerApproval> } | { state: 'bad'; problems: FileProblem[] };

/**
 * The key of a server's approval. Everything the identity says is in it, so a new version, another
 * file hash, other arguments or another URL void the approval, except `resolved` of a pinned
 * package: the spec already names that one build, and counting the cache's copy would hold the
 * server once more after its first run (when npx fills the cache), for nothing. For an unpinned
 * package `resolved` is in: `npx -y pkg` whose cache now holds another version runs other code,
 * and so does one whose version was unknown before its first run (that prompt comes once, and
 * names the version npx fetched).
 */
export function identityHash(identity: ServerIdentity): string {
  return sha256Hex(canonicalJson(hashedIdentity(identity)));
}

/** The identity as its hash sees it (see identityHash). */
export function hashedIdentity(identity: ServerIdentity): ServerIdentity {
  if (!identity.pinned) return identity;
  const view = { ...identity };
  delete view.resolved;
  return view;
}

export class ServerApprovalStore {
  constructor(readonly file: string) {}

  loadSync(): ApprovalsLoad {
    const read = readJsonFileSync(this.file, LIMIT);
    if (read.state === 'missing') return { state: 'ok', servers: {} };
    if (read.state === 'bad') return read;
    const problem = (path: string, message: string): ApprovalsLoad => ({ state: 'bad', problems: [{ file: this.file, path, message }] });
    const v = read.value as { version?: unknown; servers?: unknown };
    if (v === null || typeof v !== 'object' || v.version !== 1) return problem('version', 'expected 1');
    if (v.servers === null || typeof v.servers !== 'object' || Array.isArray(v.servers)) return problem('servers', 'expected an object');
    const servers: Record<string, ServerApproval> = {};
    for (const [id, a] of Object.entries(v.servers as Record<string, unknown>)) {
      const approval = a as Partial<ServerApproval> | null;
      if (typeof approval?.identity !== 'string' || !/^[0-9a-f]{64}$/.test(approval.identity))
        return problem(`servers.${id}.identity`, 'expected 64 hex digits');
      if (typeof approval.approvedAt !== 'string') return problem(`servers.${id}.approvedAt`, 'expected an ISO time');
      const approved = approval.approved !== null && typeof approval.approved === 'object' ? { approved: approval.approved } : {};
      servers[id] = { identity: approval.identity, approvedAt: approval.approvedAt, ...approved };
    }
    return { state: 'ok', servers };
  }

  /** Whether this identity of the server is the approved one; an unreadable file approves nothing. */
  isApprovedSync(id: string, identity: ServerIdentity): boolean {
    const load = this.loadSync();
    return load.state === 'ok' && load.servers[id]?.identity === identityHash(identity);
  }

  /** When the server's approval in the file was given (ms since the epoch), if it has one. */
  approvedAtSync(id: string): number | undefined {
    const load = this.loadSync();
    const at = load.state === 'ok' ? Date.parse(load.servers[id]?.approvedAt ?? '') : NaN;
    return Number.isFinite(at) ? at : undefined;
  }

  /** The identity approved last, whether or not it is the server's identity now. */
  approvedIdentitySync(id: string): ServerIdentity | undefined {
    const load = this.loadSync();
    return load.state === 'ok' ? load.servers[id]?.approved : undefined;
  }

  approveSync(id: string, identity: ServerIdentity, now: Date): void {
    this.updateSync((servers) => ({ ...servers, [id]: { identity: identityHash(identity), approvedAt: now.toISOString(), approved: identity } }));
  }

  forgetSync(id: string): void {
    this.updateSync((servers) => Object.fromEntries(Object.entries(servers).filter(([k]) => k !== id)));
  }

  private updateSync(change: (servers: Record<string, ServerApproval>) => Record<string, ServerApproval>): void {
    const load = this.loadSync();
    if (load.state === 'bad')
      throw new Error(`${load.problems.map((p) => `${p.file}: ${p.path}: ${p.message}`).join('; ')}; fix or remove the file, then approve again`);
    writeFileAtomicSync(this.file, JSON.stringify({ version: 1, servers: change(load.servers) }, null, 2) + '\n');
  }
}

/**
 * The identity as it is now: the record's, with its local file (if it names one) hashed again. A
 * file that is gone or unreadable has no hash, so the identity matches no approval.
 */
export function currentIdentitySync(identity: ServerIdentity): ServerIdentity {
  if (identity.file === undefined) return identity;
  const { fileSha256: _old, ...rest } = identity;
  const now = sha256FileSync(identity.file, MAX_HASHED_BYTES);
  return now !== undefined ? { ...rest, fileSha256: now } : rest;
}
