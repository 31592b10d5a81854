/**
 * The browser mode's WebSocket bridge (main/ipc/ui-server.ts + ws-bridge.ts) serves exactly the
 * channels of shared/ipc.ts with the same handlers the app registers, and forwards exactly its
 * events; the Electron side of the same claim is ipc-contract.electron-mocked.test.ts.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ipcChannels, ipcEvents } from '../../shared/ipc.js';
import { forwardGuardEvents, type GuardEventSource } from '../../main/ipc/guard-events.js';
import { allIpcHandlers } from '../../main/ipc/ipc-handlers.js';
import { startUiServer, type UiServer } from '../../main/ipc/ui-server.js';
import { tempDir } from '../helpers/proxy.js';
import { fakeRendererDir, tokenOf, UiClient } from '../helpers/ui-client.js';
import { handlerDeps } from './handler-deps.js';

let ui: UiServer | undefined;
afterEach(async () => {
  await ui?.close();
  ui = undefined;
});

/** An event source whose listeners the test calls by hand. */
function manualSource() {
  const listeners: Record<string, (value: never) => void> = {};
  const on = (name: string) => (listener: (value: never) => void) => ((listeners[name] = listener), () => delete listeners[name]);
  const source = {
    desk: { onDidChange: on('approvals:changed'), onDidTimeOut: on('approvals:timed-out') },
    onDidChangeStatus: on('status:changed'),
    servers: { onDidChange: on('servers:changed') },
    policy: { onDidChange: on('policy:changed') },
    grants: { onDidChange: on('grants:changed') },
    activity: { onDidGrow: on('activity:appended') },
  } as unknown as GuardEventSource;
  return { source, listeners };
}

describe('the browser bridge covers the contract', () => {
  it('answers every channel of the contract over the WebSocket, through the handlers the app uses', async () => {
    ui = await startUiServer({
      port: 0,
      rendererDir: fakeRendererDir(join(tempDir(), 'renderer')),
      handlers: allIpcHandlers(handlerDeps('4.5.6')),
      events: manualSource().source,
      log: { log: () => undefined },
    });
    const page = await UiClient.connect({ port: ui.port, token: tokenOf(ui.url) });
    // Each channel is known to the bridge: it answers (a result, the channel's own argument error, or
    // for a page's channel the handler itself saying this test gave it no page context) and stays open.
    for (const channel of Object.keys(ipcChannels)) {
      const reply = await page.invoke(channel);
      const message = String(reply['message']);
      const reached = reply['type'] === 'result' || message.startsWith(`ipc ${channel} arguments`) || message.startsWith('this test has no page context');
      expect(reached, `${channel}: ${JSON.stringify(reply)}`).toBe(true);
    }
    expect(await page.invoke('app:version')).toMatchObject({ type: 'result', value: '4.5.6' });
    page.close();
  });

  it('forwards exactly the events of the contract, each checked against its schema', () => {
    const { source, listeners } = manualSource();
    const sent: string[] = [];
    const stop = forwardGuardEvents(source, (event) => sent.push(event));
    expect(Object.keys(listeners).sort()).toEqual(Object.keys(ipcEvents).sort());
    listeners['approvals:changed']!([] as never);
    listeners['approvals:timed-out']!({ id: '3b241101-e2bb-4255-8caf-4136c566a962', tool: 'write_file', server: 'fs' } as never);
    listeners['status:changed']!({ pendingApprovals: 0, proxies: 1, policy: { problems: [] } } as never);
    expect(sent).toEqual(['approvals:changed', 'approvals:timed-out', 'status:changed']);
    expect(() => listeners['status:changed']!({ pendingApprovals: -1 } as never)).toThrow(/status:changed payload/);
    stop();
    expect(Object.keys(listeners)).toEqual([]);
  });
});
