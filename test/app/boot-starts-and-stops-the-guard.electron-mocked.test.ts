// The desktop app's boot list (main/index.ts) starts the guard service through the one composition
// root (main/service/start-guard.ts), lives in the tray with its window closed, and stops the
// service on quit. Electron's modules are replaced by ./fake-electron-app.ts because the Electron
// binary cannot run here; the service is the real one.
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { FOCUS_SHORTCUT } from '../../main/app/focus-shortcut.js';
import { guardPaths } from '../../main/store/guard-paths.js';
import { guardHomeWith, waitUntil } from '../helpers/proxy.js';
import { SocketPeer, helloFrom } from '../helpers/socket-peer.js';
import { app, BrowserWindow, globalShortcut, Tray } from './fake-electron-app.js';
import { fake } from '../ipc/fake-electron-ipc.js';

vi.mock('electron', () => import('./fake-electron-app.js'));

const home = guardHomeWith();
const saved = { home: process.env['MCP_GUARD_HOME'], managed: process.env['MCP_GUARD_MANAGED_POLICY'], launcher: process.env['MCP_GUARD_LAUNCHER'] };
process.env['MCP_GUARD_HOME'] = home;
process.env['MCP_GUARD_MANAGED_POLICY'] = `${home}/no-managed-policy.json`;
delete process.env['MCP_GUARD_LAUNCHER'];
afterAll(() => {
  process.env['MCP_GUARD_HOME'] = saved.home;
  process.env['MCP_GUARD_MANAGED_POLICY'] = saved.managed;
  if (saved.launcher === undefined) delete process.env['MCP_GUARD_LAUNCHER'];
  else process.env['MCP_GUARD_LAUNCHER'] = saved.launcher;
});

describe('the app (electron-mocked)', () => {
  it('starts the guard service when ready, lives in the tray, answers proxies, and stops it before it exits', async () => {
    await import('../../main/index.js');
    const paths = guardPaths(home);
    expect(existsSync(paths.socket)).toBe(false);
    app.fireReady();
    expect(await waitUntil(() => existsSync(paths.socket) && BrowserWindow.windows.length === 1, 5000)).toBe(true);
    // Not packaged: wraps keep pointing at the checkout's CLI.
    expect(process.env['MCP_GUARD_LAUNCHER']).toBeUndefined();

    // The main window opens once painted; the tray and the focus shortcut are up; no prompt window until a prompt.
    const main = BrowserWindow.windows[0]!;
    main.paint();
    expect(main.visible).toBe(true);
    expect(Tray.instances).toHaveLength(1);
    expect(Tray.instances[0]!.tooltip).toBe('MCP Guard: nothing waiting for you');
    expect(globalShortcut.registered.has(FOCUS_SHORTCUT)).toBe(true);
    expect(fake.registeredChannels()).toContain('approvals:list');

    // Closing the window hides it: the app and its service keep running.
    expect(main.close()).toBe(false);
    expect(main.visible).toBe(false);
    app.emit('window-all-closed');
    expect(app.exited).toBeUndefined();
    // A second launch (or the tray) brings it back.
    app.emit('second-instance');
    expect(main.visible).toBe(true);

    // A proxy can say hello to the service the app runs.
    const peer = await SocketPeer.open(paths.socket);
    peer.send(helloFrom(readFileSync(paths.token, 'utf8')));
    expect((await peer.nth(0))['type']).toBe('welcome');
    await peer.close();

    // "Quit MCP Guard" from the tray menu.
    Tray.instances[0]!.item('Quit MCP Guard').click!({ checked: false });
    expect(await waitUntil(() => app.exited !== undefined, 5000)).toBe(true);
    expect(app.exited).toBe(0);
    expect(existsSync(paths.socket)).toBe(false); // the endpoint was closed before the app exited
    expect(main.destroyed).toBe(true);
    expect(Tray.instances[0]!.destroyed).toBe(true);
    expect(globalShortcut.registered.size).toBe(0);
    expect(fake.registeredChannels()).toEqual([]);
  });
});
