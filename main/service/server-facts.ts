/**
 * What a prompt says about a call's server, read from the guard's own files (the registry and the
 * approvals), never from what the proxy claims; and the approval of a wrapped server's identity,
 * only as the prompt showed it (its exact hash).
 */
import type { AnswerResult, PromptServer } from '../../shared/approvals.js';
import type { ServerIdentity } from '../../shared/server-registry.js';
import { identityChanges, identityRiskHints } from '../clients/server-identity.js';
import { currentIdentitySync, identityHash, type ServerApprovalStore } from '../store/server-approvals.js';
import type { ServerRegistry } from '../store/server-registry.js';

export type ServerApproved = { id: string; name: string; identityHash: string; identity: ServerIdentity };

export class ServerFacts {
  constructor(
    private readonly registry: ServerRegistry,
    private readonly approvals: ServerApprovalStore,
    /** After an approval is written: the audit event (the proxies see the file change themselves). */
    private readonly onApproved: (approved: ServerApproved) => void,
  ) {}

  describe(name: string, serverId: string | undefined, launch: { command?: string[]; url?: string } | undefined): PromptServer {
    const launched = { ...(launch?.command ? { command: launch.command } : {}), ...(launch?.url !== undefined ? { url: launch.url } : {}) };
    const read = serverId === undefined ? undefined : this.registry.readSync(serverId);
    if (serverId === undefined || read?.state !== 'ok') {
      const detail =
        serverId === undefined
          ? 'started with "mcp-guard run --": not in the registry, so its identity is not checked'
          : `the registry has no valid record of "${serverId}"`;
      return { name, ...launched, hints: [{ kind: 'not-wrapped', detail }] };
    }
    const { record } = read;
    const current = currentIdentitySync(record.identity);
    const approved = this.approvals.isApprovedSync(record.id, current);
    const before = approved ? undefined : this.approvals.approvedIdentitySync(record.id);
    const hints: PromptServer['hints'] = [];
    if (!approved && before === undefined) hints.push({ kind: 'new-server', detail: 'new server: not approved yet, so its calls follow defaults.newServers' });
    if (!approved && before !== undefined)
      hints.push({ kind: 'changed-server', detail: `changed since you approved it: ${identityChanges(before, current).join('; ') || 'its identity differs'}` });
    const unpinned = current.package !== undefined && !current.pinned;
    // identityRiskHints names an unpinned package first.
    identityRiskHints(current).forEach((detail, i) => hints.push({ kind: unpinned && i === 0 ? 'unpinned-package' : 'identity-risk', detail }));
    return {
      name,
      id: record.id,
      ...(current.command !== undefined ? { command: [current.command, ...(current.args ?? [])] } : launched),
      ...(current.url !== undefined ? { url: current.url } : {}),
      ...(current.package !== undefined ? { package: current.package } : {}),
      ...(current.resolved ? { version: current.resolved.version } : {}),
      pinned: current.pinned,
      ...(current.file !== undefined ? { file: current.file } : {}),
      ...(current.fileSha256 !== undefined ? { fileSha256: current.fileSha256 } : {}),
      hints,
      ...(approved ? {} : { approvable: { identityHash: identityHash(current) } }),
    };
  }

  approve(id: string, hash: string, now: Date): AnswerResult {
    let read;
    try {
      read = this.registry.readSync(id);
    } catch (error) {
      return { ok: false, reason: error instanceof Error ? error.message : String(error) };
    }
    if (read.state !== 'ok') return { ok: false, reason: `no valid registry record of "${id}"; wrap the server again (mcp-guard wrap)` };
    const current = currentIdentitySync(read.record.identity);
    const now256 = identityHash(current);
    if (now256 !== hash)
      return {
        ok: false,
        reason: `the server changed since the prompt showed it (identity ${hash.slice(0, 12)} then, ${now256.slice(0, 12)} now); nothing approved`,
      };
    try {
      this.approvals.approveSync(id, current, now);
    } catch (error) {
      return { ok: false, reason: `could not write the approval: ${error instanceof Error ? error.message : String(error)}` };
    }
    this.onApproved({ id, name: read.record.name, identityHash: hash, identity: current });
    return { ok: true };
  }
}
