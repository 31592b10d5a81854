import { ipcChannels } from '../../shared/ipc.js';
import { appHandlers } from './app-handlers.js';
import type { AppHandlerDeps } from './app-handlers.js';
import { approvalsHandlers, statusHandlers, type ApprovalDeskPort } from './approvals-handlers.js';
import type { GuardStatus } from '../../shared/approvals.js';
import type { IpcHandlers } from './handle.js';

/** What the handlers need from the rest of the app; the composition root provides it. */
export interface IpcHandlerDeps {
  readonly app: AppHandlerDeps;
  readonly approvals: ApprovalDeskPort;
  readonly status: () => GuardStatus;
}

/** One handlers object per domain file; add a domain here when its first channel joins shared/ipc.ts. */
export function ipcHandlerGroups(deps: IpcHandlerDeps): readonly object[] {
  return [appHandlers(deps.app), approvalsHandlers(deps.approvals), statusHandlers(deps.status)];
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
