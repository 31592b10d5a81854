// Threat: the service's events (prompts, with call arguments) reach a page that is not ours, or a
// window that is gone, and throw or leak. main/ipc/electron-events.ts sends each event to every
// live window showing our renderer, and to nothing else. Electron's BrowserWindow and webContents
// are replaced by ./fake-electron-app.ts because the Electron binary cannot run here; the events
// come from the real forwardGuardEvents, so their payloads are contract-checked.
import type { BrowserWindow as ElectronWindow } from 'electron';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { isRendererUrl } from '../../main/app/renderer-origin.js';
import { sendToOurWindows } from '../../main/ipc/electron-events.js';
import { forwardGuardEvents, type GuardEventSource } from '../../main/ipc/guard-events.js';
import { Emitter } from '../../main/common/emitter.js';
import type { GuardStatus, Prompt } from '../../shared/approvals.js';
import { BrowserWindow } from './fake-electron-app.js';
import { callPrompt } from './sample-prompts.js';

vi.mock('electron', () => import('./fake-electron-app.js'));

function windowAt(url: string): BrowserWindow {
  const window = new BrowserWindow({});
  window.webContents.url = url;
  return window;
}

function source() {
  const prompts = new Emitter<Prompt[]>();
  const timedOut = new Emitter<{ id: string; tool: string; server: string }>();
  const status = new Emitter<GuardStatus>();
  const events: GuardEventSource = {
    desk: { onDidChange: prompts.event, onDidTimeOut: timedOut.event },
    onDidChangeStatus: status.event,
    servers: { onDidChange: new Emitter<{ at: number }>().event },
    policy: { onDidChange: new Emitter<{ revision: string }>().event },
    grants: { onDidChange: new Emitter<[]>().event },
    activity: { onDidGrow: new Emitter<{ total: number; newest: number }>().event },
  };
  return { events, prompts, status };
}

beforeEach(() => {
  BrowserWindow.windows.length = 0;
});

describe('events go to our windows only (electron-mocked)', () => {
  it('sends each event to every live window of our renderer: the main window and the prompt window', () => {
    const main = windowAt('app://guard/index.html');
    const prompt = windowAt('app://guard/index.html');
    const { events, prompts } = source();
    forwardGuardEvents(events, sendToOurWindows(isRendererUrl));
    const list = [callPrompt()];
    prompts.fire(list);
    for (const w of [main, prompt]) expect(w.webContents.sent).toEqual([{ channel: 'approvals:changed', payload: list }]);
  });

  it('skips a window showing another page, one still blank, a crashed one and a closed one', () => {
    const foreign = windowAt('https://evil.example/app://guard/index.html');
    const blank = windowAt('');
    const crashed = windowAt('app://guard/index.html');
    crashed.webContents.crashed = true;
    const closed = windowAt('app://guard/index.html');
    closed.close();
    const ours = windowAt('app://guard/index.html');
    const { events, status } = source();
    forwardGuardEvents(
      events,
      sendToOurWindows(isRendererUrl, () => BrowserWindow.windows as unknown as ElectronWindow[]),
    );
    status.fire({ pendingApprovals: 1, proxies: 2, policy: { problems: [] } });
    for (const w of [foreign, blank, crashed, closed]) expect(w.webContents.sent).toEqual([]);
    expect(ours.webContents.sent.map((s) => s.channel)).toEqual(['status:changed']);
  });

  it('never sends a payload the contract does not allow', () => {
    const ours = windowAt('app://guard/index.html');
    const { events, status } = source();
    forwardGuardEvents(events, sendToOurWindows(isRendererUrl));
    expect(() => status.fire({ pendingApprovals: -1, proxies: 0, policy: { problems: [] } })).not.toThrow(); // the emitter isolates listeners
    expect(ours.webContents.sent).toEqual([]);
  });
});
