/**
 * The Servers page's channels (`servers:*`; `servers:approve` is the approvals desk's). Thin: the
 * list is main/service/server-rows.ts, wrap and unwrap main/service/wrap-previews.ts, enable and
 * disable main/service/server-switch.ts. Nothing the renderer sends is trusted: a row is named by
 * its key and looked up again, an apply names a preview this service made, a server by its name.
 */
import type { ServerRow, ServersChanged, SetEnabledResult, WrapAction, WrapPreview, WrapTarget } from '../../shared/servers-page.js';
import type { WrapSelection } from '../clients/wrapper.js';
import { identityOf, nodeIdentityFs } from '../clients/server-identity.js';
import { ServerRows } from '../service/server-rows.js';
import { ServerSwitch } from '../service/server-switch.js';
import { ServersWatch } from '../service/servers-watch.js';
import { WrapPreviews } from '../service/wrap-previews.js';
import { PinStore } from '../store/pin-store.js';
import type { IpcHandler } from './handle.js';
import type { PageContext } from './page-context.js';

type ServersChannels = 'servers:list' | 'servers:preview' | 'servers:apply' | 'servers:set-enabled';

type ServersParts = { rows: ServerRows; previews: WrapPreviews; switch: ServerSwitch; watch: ServersWatch };

const made = new WeakMap<PageContext, ServersParts>();

/** The page's parts for one running guard, made on first use (never while the handlers are only registered). */
function partsOf(ctx: PageContext): ServersParts {
  let parts = made.get(ctx);
  if (parts) return parts;
  const identityFs = nodeIdentityFs(ctx.env);
  const rows = new ServerRows({
    adapters: ctx.adapters,
    machine: ctx.machine,
    registry: ctx.registry,
    approvals: ctx.approvals,
    pins: new PinStore(ctx.paths.pins),
    policy: ctx.policy,
    identity: (launch, entry) =>
      identityOf(launch, { home: ctx.machine.home, env: ctx.env, ...(entry.projectDir !== undefined ? { projectDir: entry.projectDir } : {}) }, identityFs),
    wrapping: () => (ctx.launcher === undefined ? { ok: false, reason: NO_LAUNCHER } : { ok: true }),
  });
  const previews = new WrapPreviews({
    wrapper: (action) => (action === 'wrap' && ctx.launcher === undefined ? { refused: NO_LAUNCHER } : ctx.wrapper(ctx.launcher ?? 'mcp-guard')),
    readText: (path) => ctx.machine.readText(path),
    now: ctx.now,
  });
  const watch = new ServersWatch({
    discover: () => ctx.adapters.flatMap((a) => a.discover(ctx.machine).map((l) => l.path)),
    files: [ctx.paths.serverApprovals, ctx.paths.pins, ctx.policy.files.user, ctx.policy.files.managed],
    registryDir: ctx.paths.servers,
    now: ctx.now,
    onError: (error) => ctx.log.log('warn', `servers page: could not check for changes: ${String(error)}`),
  });
  parts = { rows, previews, switch: new ServerSwitch(ctx.policy, ctx.service), watch };
  made.set(ctx, parts);
  return parts;
}

const NO_LAUNCHER =
  'this MCP Guard does not know the command wrapped entries should run (its launcher is not an executable file); start it with MCP_GUARD_LAUNCHER set to the absolute path of mcp-guard, or wrap in a terminal with "mcp-guard wrap"';

export function serversHandlers(ctx: PageContext): { readonly [C in ServersChannels]: IpcHandler<C> } {
  return {
    'servers:list': () => partsOf(ctx).rows.list(),
    'servers:preview': (action, target) => preview(partsOf(ctx), action, target),
    'servers:apply': (hash) => partsOf(ctx).previews.apply(hash),
    'servers:set-enabled': (name, enabled) => setEnabled(partsOf(ctx), name, enabled),
  };
}

/** The `servers:changed` event's source (main/ipc/guard-events.ts). */
export function serversEvents(ctx: PageContext): { onDidChange(listener: (event: ServersChanged) => void): () => void } {
  return { onDidChange: (listener) => partsOf(ctx).watch.onDidChange(listener) };
}

function preview(parts: ServersParts, action: WrapAction, target: WrapTarget): WrapPreview {
  if (target === 'all') return parts.previews.preview(action, {});
  const found = parts.rows.find(target);
  if (!found) return { ok: false, reason: 'this server is no longer where the list showed it (its file changed); look at the list again' };
  const { view } = found;
  const selection = selectionOf(action, view);
  if (typeof selection === 'string') return { ok: false, reason: selection };
  return parts.previews.preview(action, selection);
}

function selectionOf(action: WrapAction, view: ServerRow): Omit<WrapSelection, 'dryRun'> | string {
  const what = `"${view.name}"`;
  if (view.client === undefined) return `${what} is in no client file MCP Guard reads; there is nothing to ${action}`;
  if (action === 'wrap') {
    if (view.state === 'unwrapped') return { clients: [view.client], server: view.name, files: [view.file] };
    if (view.state === 'wrapped') return `${what} is wrapped already`;
    return `${what} cannot be wrapped: ${view.detail ?? view.state}`;
  }
  if (view.state === 'wrapped' && view.id !== undefined) return { clients: [view.client], server: view.id };
  if (view.state === 'broken') return `${what} is wrapped, but MCP Guard has no sound record of it: ${view.detail ?? 'unwrap it by hand'}`;
  return `${what} is not wrapped`;
}

function setEnabled(parts: ServersParts, name: string, enabled: boolean): SetEnabledResult {
  return parts.switch.setEnabled(name, enabled, parts.rows.wrappedIdentity(name));
}
