// From a held call to the desktop: a real `mcp-guard run` proxy on a real MCP server asks the real
// guard service, and the desktop shell (main/app/desktop-shell.ts) shows the prompt window without
// taking focus, counts it on the tray, and announces it by tool and server; once answered, all of
// that goes away. Only Electron is replaced (./fake-electron-app.ts), because its binary cannot run here.
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { DesktopShell } from '../../main/app/desktop-shell.js';
import { QuitState } from '../../main/app/quit-state.js';
import type { GuardService } from '../../main/service/guard-service.js';
import { realServers } from '../helpers/paths.js';
import { guardHomeWith } from '../helpers/proxy.js';
import { guardedClient, startService, until } from '../helpers/service.js';
import { BrowserWindow, Notification, Tray } from './fake-electron-app.js';

vi.mock('electron', () => import('./fake-electron-app.js'));

let service: GuardService | undefined;
let client: Client | undefined;
let shell: DesktopShell | undefined;
afterAll(async () => {
  shell?.dispose();
  await client?.close();
  await service?.stop();
});

describe('a held call on the desktop (electron-mocked)', () => {
  it('floats the prompt up unfocused, badges the tray, notifies without arguments, and clears all three once answered', async () => {
    const home = guardHomeWith({ version: 1, defaults: { tools: 'ask', promptTimeoutSeconds: 30 } });
    service = await startService(home);
    shell = new DesktopShell(service, {
      preloadPath: '/app/preload.cjs',
      devTools: false,
      logger: { log: () => undefined },
      quit: new QuitState(),
      onQuit: () => undefined,
    });
    client = await guardedClient(home, 'everything', realServers.everything);
    const tray = Tray.instances.at(-1)!;
    expect(BrowserWindow.windows).toHaveLength(0);

    const call = client.callTool({ name: 'echo', arguments: { message: 'ghp_not-for-the-notification-centre' } });
    const prompt = await until(() => service!.desk.list()[0], 10_000, 'the held call');
    const window = BrowserWindow.windows[0]!;
    window.paint();
    expect(window.visible).toBe(true);
    expect(window.calls).not.toContain('focus');
    expect(tray.tooltip).toBe('MCP Guard: 1 approval waiting');
    expect(Notification.all.map((n) => n.options)).toEqual([{ title: 'MCP Guard', body: 'echo on everything is waiting for you' }]);

    // The renderer reports the prompt on screen; the user denies it after looking at it.
    service.desk.shown(prompt.id, prompt.revision);
    await new Promise((r) => setTimeout(r, 800));
    expect(service.desk.answer(prompt.id, prompt.revision, { kind: 'deny' })).toEqual({ ok: true });
    expect((await call).isError).toBe(true);
    expect(window.visible).toBe(false);
    expect(tray.tooltip).toBe('MCP Guard: nothing waiting for you');
    expect(Notification.all[0]!.closed).toBe(true);
  });
});
