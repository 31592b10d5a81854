/**
 * The Servers page's list: the inventory (main/clients/inventory.ts) with, for each server, what it
 * runs, whether that is approved and what changed since, its tools and their pins, the names of its
 * secrets and the rule that disables it. Everything a renderer gets is scrubbed of secret-looking
 * values (main/audit/redaction.ts); secret values are never read here.
 */
import { createHash } from 'node:crypto';
import type { PolicyDocument } from '../../shared/policy.js';
import type { PinFile } from '../../shared/pins.js';
import type { RegisteredLaunch, ServerIdentity } from '../../shared/server-registry.js';
import type { ServerRow, ServersList } from '../../shared/servers-page.js';
import { SecretScrubber } from '../audit/redaction.js';
import type { ClientAdapter, ClientEntry, ClientEnvironment } from '../clients/client-adapter.js';
import { entryKeyOf, unwrappedEntryFacts } from '../clients/entry-facts.js';
import { inventory, type InventoryRow } from '../clients/inventory.js';
import { identityChanges, identityRiskHints } from '../clients/server-identity.js';
import { formatFileProblem } from '../store/atomic-file.js';
import type { PinStore } from '../store/pin-store.js';
import { identityHash, type ServerApprovalStore } from '../store/server-approvals.js';
import type { ServerRegistry } from '../store/server-registry.js';
import { disabledBy, identityView, toolsOf } from './server-row-parts.js';

export type ServerRowsDeps = {
  adapters: readonly ClientAdapter[];
  machine: ClientEnvironment;
  registry: ServerRegistry;
  approvals: ServerApprovalStore;
  pins: PinStore;
  policy: { readonly user: PolicyDocument | undefined; readonly managed: PolicyDocument | undefined };
  identity: (launch: RegisteredLaunch, entry: ClientEntry) => ServerIdentity;
  /** Whether wrapping can be offered; if not, why. */
  wrapping: () => ServersList['wrapping'];
};

/** A row as the page shows it, and what wrap and unwrap need to select its entry. */
export type LocatedRow = { view: ServerRow; row: InventoryRow | undefined };

const MAX_ROWS = 5000;

export class ServerRows {
  private readonly scrubber = new SecretScrubber();

  constructor(private readonly d: ServerRowsDeps) {}

  list(): ServersList {
    const { rows, problems } = this.locateAll();
    return {
      rows: rows.slice(0, MAX_ROWS).map((r) => r.view),
      problems: [...problems, ...(rows.length > MAX_ROWS ? [`${rows.length} servers: the first ${MAX_ROWS} are shown`] : [])]
        .slice(0, 200)
        .map((p) => this.scrubber.scrubString(p).slice(0, 8000)),
      wrapping: this.d.wrapping(),
    };
  }

  /** The row with this key now, if it is still there. */
  find(key: string): LocatedRow | undefined {
    return this.locateAll().rows.find((r) => r.view.key === key);
  }

  /** What a wrapped server of this name runs (policy rules may match it by package or command), if one is wrapped. */
  wrappedIdentity(name: string): ServerIdentity | undefined {
    return this.locateAll().rows.find((r) => r.row?.name === name && r.row.record !== undefined)?.row?.record?.identity;
  }

  private locateAll(): { rows: LocatedRow[]; problems: string[] } {
    const pins = this.d.pins.loadSync();
    const pinFile: PinFile | undefined = pins.state === 'ok' ? pins.pins : pins.previous;
    const problems = pins.state === 'corrupt' ? pins.problems.map((p) => `pin file ${formatFileProblem(p)}; every tool is held`) : [];
    const inv = inventory(this.d.adapters, this.d.machine, this.d.registry, this.d.approvals);
    problems.unshift(...inv.problems);
    const unwrappedFiles = new Set(inv.rows.filter((r) => r.state === 'unwrapped').map((r) => r.file));
    const facts = unwrappedEntryFacts(this.d.adapters, this.d.machine, unwrappedFiles, this.d.identity);
    const docs = { user: this.d.policy.user, managed: this.d.policy.managed };
    const rows: LocatedRow[] = [];
    const seen = new Set<string>();
    for (const row of inv.rows) {
      seen.add(row.name);
      const fact = row.state === 'unwrapped' ? facts.get(entryKeyOf(row)) : undefined;
      const identity = row.record?.identity ?? fact?.identity;
      const wrappedSound = row.state === 'wrapped' && row.record !== undefined;
      const secrets = row.record
        ? row.record.secrets.map((s) => ({ name: s.name, target: s.target, where: s.source.kind }))
        : (fact?.secrets ?? []).map((s) => ({ ...s, where: 'in-file' as const }));
      const view: ServerRow = {
        key: keyOf(entryKeyOf({ ...row, client: row.client })),
        client: row.client,
        scope: row.scope,
        name: row.name,
        file: row.file,
        ...(row.projectDir !== undefined ? { projectDir: row.projectDir } : {}),
        state: row.state,
        ...(row.id !== undefined ? { id: row.id } : {}),
        ...(identity ? { identity: identityView(identity, this.scrubber) } : {}),
        ...(wrappedSound ? { identityHash: identityHash(row.record!.identity), approved: row.approved === true } : {}),
        identityChanges:
          wrappedSound && row.approvedIdentity ? identityChanges(row.approvedIdentity, row.record!.identity).map((c) => this.scrubber.scrubString(c)) : [],
        risks: identity ? identityRiskHints(identity).map((h) => this.scrubber.scrubString(h)) : [],
        secrets: secrets.slice(0, 200),
        ...this.pinsOf(row.name, pinFile, pins.state === 'corrupt'),
        ...this.disabled(docs, row.name, identity),
        ...(row.detail !== undefined ? { detail: this.scrubber.scrubString(row.detail).slice(0, 8000) } : {}),
      };
      rows.push({ view, row });
    }
    // Servers the guard has seen through `mcp-guard run --` only: in no client file, but their tools are pinned.
    for (const name of Object.keys(pinFile?.servers ?? {})) {
      if (seen.has(name)) continue;
      const view: ServerRow = {
        key: keyOf(JSON.stringify(['ad-hoc', name])),
        scope: 'ad-hoc',
        name,
        file: '(started with mcp-guard run --)',
        state: 'ad-hoc',
        identityChanges: [],
        risks: [],
        secrets: [],
        ...this.pinsOf(name, pinFile, pins.state === 'corrupt'),
        ...this.disabled(docs, name, undefined),
        detail: 'seen through "mcp-guard run -- …", in no client file MCP Guard reads: it cannot be wrapped or unwrapped from here',
      };
      rows.push({ view, row: undefined });
    }
    return { rows, problems };
  }

  private pinsOf(name: string, file: PinFile | undefined, unreadable: boolean): Pick<ServerRow, 'tools' | 'instructionsChanged' | 'pinsUnreadable'> {
    const pins = file?.servers[name];
    return { tools: toolsOf(pins).slice(0, 5000), instructionsChanged: pins?.pending.instructions != null, pinsUnreadable: unreadable };
  }

  private disabled(docs: Parameters<typeof disabledBy>[0], name: string, identity: ServerIdentity | undefined): Pick<ServerRow, 'disabled'> {
    const by = disabledBy(docs, name, identity, this.scrubber);
    return by ? { disabled: by } : {};
  }
}

function keyOf(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}
