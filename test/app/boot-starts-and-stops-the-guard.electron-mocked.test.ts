// The desktop app's boot list (main/index.ts) starts the guard service through the one composition
// root (main/service/start-guard.ts) and stops it on quit. Electron's modules are replaced by
// ./fake-electron-app.ts because the Electron binary cannot run here; the service is the real one.
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { guardPaths } from '../../main/store/guard-paths.js';
import { guardHomeWith, waitUntil } from '../helpers/proxy.js';
import { SocketPeer, helloFrom } from '../helpers/socket-peer.js';
import { app, BrowserWindow } from './fake-electron-app.js';

vi.mock('electron', () => import('./fake-electron-app.js'));

const home = guardHomeWith();
const saved = { home: process.env['MCP_GUARD_HOME'], managed: process.env['MCP_GUARD_MANAGED_POLICY'] };
process.env['MCP_GUARD_HOME'] = home;
process.env['MCP_GUARD_MANAGED_POLICY'] = `${home}/no-managed-policy.json`;
afterAll(() => {
  process.env['MCP_GUARD_HOME'] = saved.home;
  process.env['MCP_GUARD_MANAGED_POLICY'] = saved.managed;
});

describe('the app (electron-mocked)', () => {
  it('starts the guard service when ready, answers proxies, and stops it before it exits', async () => {
    await import('../../main/index.js');
    const paths = guardPaths(home);
    expect(existsSync(paths.socket)).toBe(false);
    app.fireReady();
    expect(await waitUntil(() => existsSync(paths.socket) && BrowserWindow.windows.length === 1, 5000)).toBe(true);

    // A proxy can say hello to the service the app runs.
    const peer = await SocketPeer.open(paths.socket);
    peer.send(helloFrom(readFileSync(paths.token, 'utf8')));
    expect((await peer.nth(0))['type']).toBe('welcome');
    await peer.close();

    app.quit();
    expect(await waitUntil(() => app.exited !== undefined, 5000)).toBe(true);
    expect(app.exited).toBe(0);
    expect(existsSync(paths.socket)).toBe(false); // the endpoint was closed before the app exited
  });
});
