import { ipcChannels } from '../../shared/ipc.js';
import { appHandlers } from './app-handlers.js';
import type { AppHandlerDeps } from './app-handlers.js';
import { approvalsHandlers, statusHandlers, type ApprovalDeskPort } from './approvals-handlers.js';
import type { GuardStatus } from '../../shared/approvals.js';
import type { IpcHandlers } from './handle.js';
import type { Logger } from '../common/logger.js';
import type { RunningGuard } from '../service/start-guard.js';
import { pageContext, type PageContext } from './page-context.js';
import type { GuardEventSource } from './guard-events.js';
import { activityEvents, activityHandlers } from './activity-handlers.js';
import { serversEvents, serversHandlers } from './servers-handlers.js';
import type { DriftMode } from '../../shared/settings.js';
import type { LoginItemPort } from '../store/guard-settings.js';
import { secretsHandlers } from './secrets-handlers.js';
import { settingsHandlers } from './settings-handlers.js';
import { policyEvents, policyHandlers } from './policy-handlers.js';
import { grantEvents, grantsHandlers } from './grants-handlers.js';

/** What the handlers need from the rest of the app; the composition root provides it. */
export interface IpcHandlerDeps {
  readonly app: AppHandlerDeps;
  readonly approvals: ApprovalDeskPort;
  readonly status: () => GuardStatus;
  /** The pages' handlers: main/ipc/page-context.ts. */
  readonly pages: PageContext;
}

/** One handlers object per domain file; add a domain here when its first channel joins shared/ipc.ts. */
export function ipcHandlerGroups(deps: IpcHandlerDeps): readonly object[] {
  return [
    appHandlers(deps.app),
    approvalsHandlers(deps.approvals),
    statusHandlers(deps.status),
    // ── the pages (issue 16): one line each ──
    activityHandlers(deps.pages),
    serversHandlers(deps.pages),
    secretsHandlers(deps.pages),
    settingsHandlers(deps.pages),
    policyHandlers(deps.pages),
    grantsHandlers(deps.pages),
  ];
}

export type GuardUiOptions = {
  version: string;
  log: Logger;
  env: NodeJS.ProcessEnv;
  launcher: string | undefined;
  /** The OS login item, where this process can set it (the desktop app); absent in the browser mode. */
  loginItem?: LoginItemPort;
  /** The --drift the service was started with (`mcp-guard serve --drift …`), if it was. */
  driftFlag?: DriftMode;
};

/**
 * The contract of a running guard, as `mcp-guard serve --ui` and the desktop app both serve it:
 * every channel's handler, and the events to forward (main/ipc/guard-events.ts).
 */
export function guardUi(guard: RunningGuard, o: GuardUiOptions): { handlers: IpcHandlers; events: GuardEventSource } {
  const { service } = guard;
  const pages = pageContext(guard, o);
  const handlers = allIpcHandlers({ app: { version: () => o.version }, approvals: service.desk, status: () => service.uiStatus(), pages });
  return { handlers, events: { desk: service.desk, onDidChangeStatus: service.onDidChangeStatus, ...pageEvents(pages) } };
}

/** Only the handlers of `guardUi` (tests that forward no events). */
export function guardIpcHandlers(guard: RunningGuard, o: GuardUiOptions): IpcHandlers {
  return guardUi(guard, o).handlers;
}

/** The pages' events, each from the part of the page context that fires it (one line per page). */
function pageEvents(pages: PageContext): Omit<GuardEventSource, 'desk' | 'onDidChangeStatus'> {
  return {
    activity: activityEvents(pages),
    servers: serversEvents(pages),
    policy: policyEvents(pages),
    grants: grantEvents(pages),
  };
}

/** Every channel's handler, checked at startup: each channel exactly once, no handler without a channel. */
export function allIpcHandlers(deps: IpcHandlerDeps): IpcHandlers {
  return mergeHandlerGroups(ipcHandlerGroups(deps));
}

export function mergeHandlerGroups(groups: readonly object[]): IpcHandlers {
  const merged: Record<string, unknown> = {};
  for (const group of groups) {
    for (const [channel, handler] of Object.entries(group)) {
      if (!Object.hasOwn(ipcChannels, channel)) throw new Error(`ipc: a handler for "${channel}", which shared/ipc.ts does not declare`);
      if (Object.hasOwn(merged, channel)) throw new Error(`ipc: two handlers for "${channel}"; keep the one in its domain's file`);
      if (typeof handler !== 'function') throw new Error(`ipc: the handler for "${channel}" is not a function`);
      merged[channel] = handler;
    }
  }
  const missing = Object.keys(ipcChannels).filter((channel) => !Object.hasOwn(merged, channel));
  if (missing.length) throw new Error(`ipc: no handler for ${missing.join(', ')}; add it to its domain's handlers file`);
  // Every channel of the contract is present exactly once (checked above); each domain file types its own.
  return merged as unknown as IpcHandlers;
}
