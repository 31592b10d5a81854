import type { GuardStatus, Prompt } from '../../shared/approvals.js';
import type { ActivityAppended } from '../../shared/activity.js';
import type { ServersChanged } from '../../shared/servers-page.js';
import type { GrantView, PolicyChanged } from '../../shared/policy-page.js';
import { ipcEvents, parseOrThrow, type IpcEvent } from '../../shared/ipc.js';
import type { z } from 'zod';

export type IpcEventPayload<E extends IpcEvent> = z.output<(typeof ipcEvents)[E]>;
/** Sends one event to the renderer(s): Electron's windows (main/ipc/electron-events.ts) or the browser bridge's sockets. */
export type EmitEvent = (event: IpcEvent, payload: unknown) => void;

/** What the events come from: main/service/guard-service.ts `GuardService`. */
export interface GuardEventSource {
  readonly desk: {
    onDidChange(listener: (prompts: Prompt[]) => void): () => void;
    onDidTimeOut(listener: (timedOut: { id: string; tool: string; server: string }) => void): () => void;
  };
  readonly onDidChangeStatus: (listener: (status: GuardStatus) => void) => () => void;
  // ── the pages' events (issue 16), made in main/ipc/ipc-handlers.ts pageEvents ──
  readonly activity: { onDidGrow(listener: (grown: ActivityAppended) => void): () => void };
  readonly servers: { onDidChange(listener: (event: ServersChanged) => void): () => void };
  readonly policy: { onDidChange(listener: (change: PolicyChanged) => void): () => void };
  readonly grants: { onDidChange(listener: (grants: GrantView[]) => void): () => void };
}

/**
 * Forwards the service's events to the renderer, each parsed against its contract schema first (so
 * a payload the contract does not allow never leaves main). Returns the function that stops it.
 */
export function forwardGuardEvents(source: GuardEventSource, emit: EmitEvent): () => void {
  const send = <E extends IpcEvent>(event: E, payload: IpcEventPayload<E>) => emit(event, parseOrThrow(ipcEvents[event], payload, `${event} payload`));
  const stops = [
    source.desk.onDidChange((prompts) => send('approvals:changed', prompts)),
    source.desk.onDidTimeOut((timedOut) => send('approvals:timed-out', timedOut)),
    source.onDidChangeStatus((status) => send('status:changed', status)),
    // ── the pages' events (issue 16) ──
    source.activity.onDidGrow((grown) => send('activity:appended', grown)),
    source.servers.onDidChange((event) => send('servers:changed', event)),
    source.policy.onDidChange((change) => send('policy:changed', change)),
    source.grants.onDidChange((grants) => send('grants:changed', grants)),
  ];
  return () => {
    for (const stop of stops) stop();
  };
}
