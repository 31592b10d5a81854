import type { PinFile, ServerPins } from '../../shared/pins.js';
import { guardHome, guardPaths } from '../store/guard-paths.js';
import { lineDiff } from '../policy/text-diff.js';
import { formatFileProblem } from '../store/atomic-file.js';
import { PinStore } from '../store/pin-store.js';
import { confirmed, processIo, type TerminalIo } from './terminal.js';

export type PinsIo = TerminalIo;

export const PINS_USAGE = `usage:
  mcp-guard pins list [SERVER]                     pinned tools and changes waiting for review
  mcp-guard pins diff SERVER [TOOL]                old and new definitions of changed tools
  mcp-guard pins approve SERVER TOOL|--instructions   show a change and where to approve it (the app's prompt)
  mcp-guard pins reset SERVER                      forget a server's pins (interactive terminal only)`;

/** `mcp-guard pins …`: exit 0 ok, 1 on problems, 2 on usage errors. */
export async function pinsCommand(argv: string[], io: PinsIo = processIo()): Promise<number> {
  const [sub, ...rest] = argv;
  const store = new PinStore(guardPaths(guardHome(io.env)).pins);
  const usage = (message: string) => {
    io.stderr.write(`mcp-guard pins: ${message}\n${PINS_USAGE}\n`);
    return 2;
  };
  switch (sub) {
    case 'list':
      return rest.length > 1 ? usage('list takes at most one SERVER') : list(store, rest[0], io);
    case 'diff':
      return rest.length < 1 || rest.length > 2 ? usage('diff needs SERVER [TOOL]') : diff(store, rest[0]!, rest[1], io);
    case 'approve':
      return rest.length !== 2 ? usage('approve needs SERVER and TOOL (or --instructions)') : approve(store, rest[0]!, rest[1]!, io);
    case 'reset':
      return rest.length !== 1 ? usage('reset needs SERVER') : reset(store, rest[0]!, io);
    case '--help':
      io.stdout.write(PINS_USAGE + '\n');
      return 0;
    default:
      return usage(sub === undefined ? 'missing subcommand' : `unknown subcommand "${sub}"`);
  }
}

function loaded(store: PinStore, io: PinsIo): PinFile | undefined {
  const result = store.loadSync();
  if (result.state === 'ok') return result.pins;
  for (const p of result.problems) io.stderr.write(`mcp-guard: pin file ${formatFileProblem(p)}\n`);
  io.stderr.write(`mcp-guard: every tool stays held while the pin file is invalid; repair it or run "mcp-guard pins reset SERVER" in a terminal\n`);
  return undefined;
}

function serverPins(store: PinStore, server: string, io: PinsIo): ServerPins | undefined {
  const pins = loaded(store, io);
  if (!pins) return undefined;
  const found = pins.servers[server];
  if (!found) io.stderr.write(`mcp-guard: no pins for server "${server}" in ${store.file}; "mcp-guard pins list" shows the servers\n`);
  return found;
}

function list(store: PinStore, only: string | undefined, io: PinsIo): number {
  const pins = loaded(store, io);
  if (!pins) return 1;
  const names = only !== undefined ? [only] : Object.keys(pins.servers).sort();
  if (names.length === 0) io.stdout.write(`no pins yet in ${store.file}\n`);
  for (const name of names) {
    const server = pins.servers[name];
    if (!server) {
      io.stderr.write(`mcp-guard: no pins for server "${name}"\n`);
      return 1;
    }
    io.stdout.write(`${name}: ${Object.keys(server.tools).length} pinned tools\n`);
    for (const [tool, pin] of Object.entries(server.tools).sort()) io.stdout.write(`  ${tool}  ${pin.hash.slice(0, 12)}\n`);
    for (const [tool, change] of Object.entries(server.pending.tools)) {
      const what = change.old === null ? 'new' : change.new === null ? 'removed' : 'changed';
      io.stdout.write(`  ! ${tool}: ${what}, waiting for review ("mcp-guard pins diff ${name} ${tool}")\n`);
    }
    if (server.pending.instructions) io.stdout.write(`  ! server instructions changed: every tool is held ("mcp-guard pins diff ${name}")\n`);
  }
  return 0;
}

function diff(store: PinStore, server: string, tool: string | undefined, io: PinsIo): number {
  const pins = serverPins(store, server, io);
  if (!pins) return 1;
  const show = (title: string, before: unknown, after: unknown) => {
    io.stdout.write(
      `--- ${title} (approved)\n+++ ${title} (now)\n${lineDiff(JSON.stringify(before, null, 2) ?? 'null', JSON.stringify(after, null, 2) ?? 'null')}\n`,
    );
  };
  const tools = tool !== undefined ? [tool] : Object.keys(pins.pending.tools);
  if (tool === undefined && pins.pending.instructions) show(`${server} instructions`, pins.pending.instructions.old.text, pins.pending.instructions.new.text);
  for (const name of tools) {
    const change = pins.pending.tools[name];
    if (!change) {
      io.stderr.write(`mcp-guard: tool "${name}" of server "${server}" has no pending change\n`);
      return 1;
    }
    show(`${server}/${name}`, change.old?.definition ?? null, change.new?.definition ?? null);
  }
  if (tools.length === 0 && !pins.pending.instructions) io.stdout.write(`${server}: no pending changes\n`);
  return 0;
}

/**
 * `pins approve` shows the change and says where to approve it; it approves nothing. An agent with a
 * shell can fake a terminal, so only the app's prompt (a user gesture, naming the exact hash shown)
 * approves a changed tool.
 */
function approve(store: PinStore, server: string, target: string, io: PinsIo): number {
  const pins = serverPins(store, server, io);
  if (!pins) return 1;
  const instructions = target === '--instructions';
  const what = instructions ? 'the instructions' : `tool "${target}"`;
  const change = instructions ? pins.pending.instructions : pins.pending.tools[target];
  if (!change) {
    io.stderr.write(`mcp-guard: nothing to approve: ${what} of server "${server}" has no pending change\n`);
    return 1;
  }
  const shown = diff(store, server, instructions ? undefined : target, io);
  if (shown !== 0) return shown;
  const hash = change.new?.hash;
  io.stderr.write(
    `mcp-guard: approve ${what} of server "${server}"${hash ? ` (definition ${hash.slice(0, 12)})` : ''} in MCP Guard: the app (or "mcp-guard serve --ui") shows it as a prompt to review. The CLI does not approve changes, since any program with a shell can fake a terminal; nothing was approved\n`,
  );
  return 1;
}

async function reset(store: PinStore, server: string, io: PinsIo): Promise<number> {
  const result = store.loadSync();
  if (!(await confirmed(io, `forget every pin of server "${server}" (its next tool list is trusted as is)`, server))) return 1;
  if (result.state === 'corrupt') {
    store.replaceSync({ version: 1, servers: {} });
    io.stdout.write(`the pin file was invalid; started a new one at ${store.file}\n`);
    return 0;
  }
  if (!result.pins.servers[server]) {
    io.stderr.write(`mcp-guard: no pins for server "${server}"\n`);
    return 1;
  }
  store.updateServerSync(server, () => undefined);
  io.stdout.write(`reset: pins of ${server}\n`);
  return 0;
}
