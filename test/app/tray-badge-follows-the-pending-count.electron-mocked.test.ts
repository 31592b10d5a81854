// The tray (main/app/tray.ts) is where the app lives with its windows closed: its tooltip, its
// macOS title and the app badge say how many approvals wait, and its menu shows the app, toggles
// start-at-login and quits. Electron's Tray, Menu and app are replaced by ./fake-electron-app.ts
// because the Electron binary cannot run here.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { HIDDEN_ARG } from '../../main/app/login-item.js';
import { GuardTray, trayBadge } from '../../main/app/tray.js';
import { app, Tray } from './fake-electron-app.js';

vi.mock('electron', () => import('./fake-electron-app.js'));

function tray(platform: NodeJS.Platform) {
  const calls = { shown: 0, quit: 0 };
  const guardTray = new GuardTray({ onShow: () => calls.shown++, onQuit: () => calls.quit++, platform });
  return { guardTray, calls, tray: Tray.instances.at(-1)! };
}

beforeEach(() => {
  Tray.instances.length = 0;
  app.loginItem = { openAtLogin: false, wasOpenedAtLogin: false, args: [] };
});

describe('the tray badge (electron-mocked)', () => {
  it('says nothing waits, with no title and no badge, when the list is empty', () => {
    expect(trayBadge(0)).toEqual({ tooltip: 'MCP Guard: nothing waiting for you', title: '', badge: 0, summary: 'Nothing waiting for you' });
  });

  it('counts one approval and several', () => {
    expect(trayBadge(1)).toMatchObject({ tooltip: 'MCP Guard: 1 approval waiting', title: '1', badge: 1 });
    expect(trayBadge(3)).toMatchObject({ tooltip: 'MCP Guard: 3 approvals waiting', title: '3', badge: 3 });
  });

  it('follows the count on the tray, the macOS title and the app badge', () => {
    const { guardTray, tray: t } = tray('darwin');
    expect(t.tooltip).toBe('MCP Guard: nothing waiting for you');
    guardTray.setWaiting(2);
    expect(t.tooltip).toBe('MCP Guard: 2 approvals waiting');
    expect(t.title).toBe('2');
    expect(app.badgeCount).toBe(2);
    expect(t.item('2 approvals waiting').enabled).toBe(false);
    guardTray.setWaiting(0);
    expect(t.title).toBe('');
    expect(app.badgeCount).toBe(0);
  });

  it('uses a template image on macOS and a colour one elsewhere, each at 1x and 2x', () => {
    const mac = tray('darwin').tray.image;
    const linux = tray('linux').tray.image;
    expect(mac.template).toBe(true);
    expect(linux.template).toBe(false);
    for (const image of [mac, linux]) {
      expect(image.representations.map((r) => r.scaleFactor)).toEqual([1, 2]);
      for (const r of image.representations) expect(r.dataURL).toMatch(/^data:image\/png;base64,iVBORw0KGgo/);
    }
  });

  it('shows the app from the menu and from a click on the icon, and quits from the menu', () => {
    const { tray: t, calls } = tray('win32');
    t.item('Show MCP Guard').click!({ checked: false });
    t.emit('click');
    expect(calls.shown).toBe(2);
    t.item('Quit MCP Guard').click!({ checked: false });
    expect(calls.quit).toBe(1);
  });

  it('turns start-at-login on and off, and the checkbox shows the setting', () => {
    const { tray: t } = tray('win32');
    expect(t.item('Start at login')).toMatchObject({ type: 'checkbox', checked: false });
    t.item('Start at login').click!({ checked: true });
    expect(app.loginItem).toMatchObject({ openAtLogin: true, args: [HIDDEN_ARG] }); // started at login, it opens in the tray
    expect(t.item('Start at login').checked).toBe(true);
    t.item('Start at login').click!({ checked: false });
    expect(app.loginItem.openAtLogin).toBe(false);
  });

  it('offers no start-at-login on Linux, where Electron cannot set it', () => {
    const { tray: t } = tray('linux');
    expect(() => t.item('Start at login')).toThrow(/has no "Start at login"/);
    expect(t.item('Quit MCP Guard')).toBeDefined();
  });
});
