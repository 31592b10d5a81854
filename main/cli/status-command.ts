import type { ServiceStatus } from '../../shared/proxy-protocol.js';
import { guardHome, guardPaths } from '../store/guard-paths.js';
import { askService } from './service-query.js';

const USAGE = `usage: mcp-guard status [--json]

Says whether the MCP Guard service runs, which proxies are connected (server, client, since),
how many approvals are pending, and the policy in force; then every server of every client and
scope: wrapped (approved or not), unwrapped, or unguarded. Exit 0 when the service runs, 1 when
it does not.`;

export async function statusCommand(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  const unknown = argv.find((a) => a !== '--json');
  if (unknown) {
    process.stderr.write(`mcp-guard status: unknown option "${unknown}"\n${USAGE}\n`);
    return 2;
  }
  const paths = guardPaths(guardHome());
  const servers = await serverInventory();
  let status: ServiceStatus;
  try {
    status = await askService(paths, { type: 'status' });
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    if (argv.includes('--json')) process.stdout.write(JSON.stringify({ running: false, reason: why, servers: servers.json }) + '\n');
    else process.stdout.write(`MCP Guard is not running (${why}). Start it with the app or \`mcp-guard serve\`.\n\n${servers.text}`);
    return 1;
  }
  if (argv.includes('--json')) {
    process.stdout.write(JSON.stringify({ running: true, ...status, servers: servers.json }) + '\n');
    return 0;
  }
  const lines = [`MCP Guard is running (pid ${status.pid}, since ${status.since})`, `pending approvals: ${status.pendingApprovals}`];
  const { userVersion, managedVersion, problems } = status.policy;
  lines.push(`policy: user ${userVersion ?? 'defaults'}, managed ${managedVersion ?? 'none'}${problems.length ? ` — ${problems.length} problem(s):` : ''}`);
  for (const p of problems) lines.push(`  ${p}`);
  lines.push(`proxies connected: ${status.proxies.length}`);
  for (const p of status.proxies) lines.push(`  ${p.server}  client ${p.client ?? 'unknown'}  pid ${p.pid}  since ${p.since}`);
  process.stdout.write(lines.join('\n') + '\n\n' + servers.text);
  return 0;
}

/** The servers of every client, as `mcp-guard servers` lists them (loaded only here: it reads every client file). */
async function serverInventory(): Promise<{ text: string; json: unknown }> {
  const [{ clientWiring }, { inventory }, { formatInventory }] = await Promise.all([
    import('./client-wiring.js'),
    import('../clients/inventory.js'),
    import('./servers-command.js'),
  ]);
  const w = clientWiring({ projects: [] });
  const { rows, problems } = inventory(w.adapters, w.machine, w.registry, w.approvals, w.pinChanges);
  return {
    text: formatInventory(rows, problems),
    json: { rows: rows.map(({ record, ...row }) => ({ ...row, ...(record ? { identity: record.identity } : {}) })), problems },
  };
}
