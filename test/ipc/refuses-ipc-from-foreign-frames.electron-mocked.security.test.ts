// Threat: a page that is not the MCP Guard renderer (a navigated or injected frame) calls the guard's
// IPC. handle() must refuse it before any argument is parsed or any handler runs.
// Electron's ipcMain/ipcRenderer/contextBridge are replaced by test/ipc/fake-electron-ipc.ts because
// the Electron binary cannot run here; handle(), the preload and the origin check are the real code.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { GuardApi } from '../../shared/ipc.js';
import { registerIpcHandlers } from '../../main/ipc/handle.js';
import { isRendererUrl } from '../../main/app/renderer-origin.js';
import { fake } from './fake-electron-ipc.js';

import { allIpcHandlers } from '../../main/ipc/ipc-handlers.js';
import { handlerDeps } from './handler-deps.js';

vi.mock('electron', () => import('./fake-electron-ipc.js'));

afterEach(() => fake.reset());

describe('IPC refuses calls from frames that are not the MCP Guard window (electron-mocked)', () => {
  const setup = async () => {
    let calls = 0;
    registerIpcHandlers({ ...allIpcHandlers(handlerDeps()), 'app:version': () => (calls++, '1.2.3') }, isRendererUrl);
    await import('../../main/preload/preload.js');
    return { api: fake.exposedInMainWorld('guard') as GuardApi, calls: () => calls };
  };

  it('answers our renderer, on any of its pages', async () => {
    const { api, calls } = await setup();
    fake.callFrom('app://guard/settings/index.html?tab=secrets#top');
    await expect(api.app.version()).resolves.toBe('1.2.3');
    expect(calls()).toBe(1);
  });

  it.each([
    ['a local file', 'file:///home/dev/Downloads/evil.html'],
    ['a web page', 'https://attacker.example/'],
    ['a look-alike host', 'app://guard.attacker.example/index.html'],
    ['a look-alike host with our name as user info', 'app://guard@attacker.example/index.html'],
    ['another custom scheme', 'guard://guard/index.html'],
    ['a data: URL', 'data:text/html,<script>guard.app.version()</script>'],
    ['about:blank', 'about:blank'],
  ])('refuses %s and never runs the handler', async (_what, url) => {
    const { api, calls } = await setup();
    fake.callFrom(url);
    await expect(api.app.version()).rejects.toThrow(/ipc app:version: refused a call from .*not the MCP Guard window/);
    expect(calls()).toBe(0);
  });

  it('refuses a call from a frame that has already gone away', async () => {
    const { api, calls } = await setup();
    fake.callFrom(null);
    await expect(api.app.version()).rejects.toThrow(/refused a call from a frame that is gone/);
    expect(calls()).toBe(0);
  });
});
