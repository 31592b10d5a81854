/**
 * `mcp-guard servers`: every server of every client and scope (wrapped, unwrapped, unguarded),
 * with its identity and approval; `approve` accepts a wrapped server's identity as it is now,
 * `forget` drops an approval. Approving is the app prompt's: `approve` shows what it would approve and says where.
 */
import type { ServerRecord } from '../../shared/server-registry.js';
import { inventory, type InventoryRow } from '../clients/inventory.js';
import { identityChanges } from '../clients/server-identity.js';
import { clientWiring } from './client-wiring.js';
import { currentIdentitySync, identityHash } from '../store/server-approvals.js';
import { processIo, type TerminalIo } from './terminal.js';

const USAGE = `usage:
  mcp-guard servers [--json] [--project DIR]...   every server of every client: wrapped / unwrapped / unguarded
  mcp-guard servers approve ID|--all              show a server's identity and where to approve it (the app's prompt)
  mcp-guard servers forget ID                     drop an approval (the server is held again)`;

export function serversCommand(argv: string[], io: TerminalIo = processIo()): Promise<number> {
  return Promise.resolve(servers(argv, io));
}

function servers(argv: string[], io: TerminalIo): number {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout.write(USAGE + '\n');
    return 0;
  }
  const projects: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--project' && argv[i + 1] !== undefined) projects.push(argv[++i]!);
    else rest.push(argv[i]!);
  }
  const w = clientWiring({ projects, env: io.env });
  const { rows, problems } = inventory(w.adapters, w.machine, w.registry, w.approvals, w.pinChanges);
  const [verb, target] = rest;
  if (verb === undefined || verb === '--json') {
    if (verb === '--json') io.stdout.write(JSON.stringify({ servers: rows.map(publicRow), problems }, null, 2) + '\n');
    else io.stdout.write(formatInventory(rows, problems));
    return problems.length > 0 ? 1 : 0;
  }
  const wrapped = rows.filter((r): r is InventoryRow & { record: ServerRecord; id: string } => r.state === 'wrapped' && r.record !== undefined);
  if (verb === 'approve' && target !== undefined) {
    const chosen = target === '--all' ? wrapped.filter((r) => !r.approved) : wrapped.filter((r) => r.id === target);
    if (chosen.length === 0) {
      io.stderr.write(
        target === '--all'
          ? 'mcp-guard servers: every wrapped server is approved already\n'
          : `mcp-guard servers: no wrapped server has the id "${target}" (see mcp-guard servers)\n`,
      );
      return target === '--all' ? 0 : 1;
    }
    for (const r of chosen) io.stdout.write(`${r.id}\n${describeIdentity(r.record)}\nidentity ${identityHash(currentIdentitySync(r.record.identity))}\n`);
    // An agent with a shell can fake a terminal: only the app's prompt, a user gesture naming the exact identity hash, approves.
    io.stderr.write(
      `mcp-guard servers: approve ${chosen.length === 1 ? 'it' : 'them'} in MCP Guard: the app (or "mcp-guard serve --ui") offers "Also approve this server" on the prompt of its next call, naming the identity above. The CLI does not approve servers, since any program with a shell can fake a terminal; nothing was approved\n`,
    );
    return 1;
  }
  if (verb === 'forget' && target !== undefined) {
    w.approvals.forgetSync(target);
    io.stdout.write(`${target}: approval dropped; its calls follow defaults.newServers until approved again\n`);
    return 0;
  }
  io.stderr.write(`mcp-guard servers: unknown command "${rest.join(' ')}"\n${USAGE}\n`);
  return 2;
}

function publicRow(r: InventoryRow) {
  const { record, ...row } = r;
  return record ? { ...row, identity: record.identity, secrets: record.secrets.map((s) => ({ name: s.name, target: s.target, source: s.source.kind })) } : row;
}

export function formatInventory(rows: readonly InventoryRow[], problems: readonly string[]): string {
  const lines: string[] = [];
  if (rows.length === 0)
    lines.push(
      'no MCP servers found in any client config (checked: Claude Code, Claude Desktop, Cursor, VS Code, Windsurf, Codex, Gemini CLI, Zed; add a project with --project DIR)',
    );
  for (const r of rows) {
    const state = r.state === 'wrapped' ? `wrapped, ${r.approved ? 'approved' : 'NOT APPROVED (held)'}` : r.state;
    lines.push(`${r.client} ${r.scope} ${r.name}: ${state}`);
    lines.push(`    ${r.file}`);
    if (r.id) lines.push(`    id ${r.id}`);
    if (r.record) lines.push(describeIdentity(r.record).replace(/^/gm, '    '));
    if (r.record && r.approvedIdentity) lines.push(`    changed since it was approved: ${identityChanges(r.approvedIdentity, r.record.identity).join('; ')}`);
    if (r.changedTools) lines.push(`    changed since approved, held: ${r.changedTools.join(', ')} (mcp-guard pins diff ${r.name})`);
    if (r.detail) lines.push(`    ${r.detail}`);
  }
  for (const p of problems) lines.push(`problem: ${p}`);
  const count = (s: InventoryRow['state']) => rows.filter((r) => r.state === s).length;
  lines.push(
    '',
    `${count('wrapped')} wrapped, ${count('unwrapped')} unwrapped (mcp-guard wrap), ${count('unguarded')} unguarded, ${count('not-runnable') + count('broken')} other`,
  );
  return lines.join('\n') + '\n';
}

function describeIdentity(record: ServerRecord): string {
  const i = record.identity;
  const what = i.command !== undefined ? [i.command, ...(i.args ?? [])].join(' ') : (i.url ?? '');
  const lines = [`${i.transport}: ${what}`];
  if (i.package)
    lines.push(
      `package ${i.package}${i.pinned ? ' (pinned)' : ' (NOT pinned: it may run a different version each time)'}${i.resolved ? `, resolved ${i.resolved.version}` : ''}`,
    );
  if (i.fileSha256) lines.push(`file SHA-256 ${i.fileSha256}`);
  if (record.secrets.length > 0) lines.push(`secrets in the keychain: ${record.secrets.map((s) => s.name).join(', ')}`);
  return lines.join('\n');
}
