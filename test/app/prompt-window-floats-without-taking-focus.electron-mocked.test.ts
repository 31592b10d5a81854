// The prompt window (main/app/prompt-window.ts) appears when a call waits, above every other
// window and without taking keyboard focus, and goes away when nothing waits. Electron's
// BrowserWindow is replaced by ./fake-electron-app.ts because the Electron binary cannot run here;
// what is checked is what the controller asks of the window.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { PromptWindow } from '../../main/app/prompt-window.js';
import { QuitState } from '../../main/app/quit-state.js';
import { app, BrowserWindow } from './fake-electron-app.js';

vi.mock('electron', () => import('./fake-electron-app.js'));

const logger = { log: () => undefined };

function promptWindow(platform: NodeJS.Platform = 'linux') {
  const quit = new QuitState();
  const controller = new PromptWindow({ preloadPath: '/app/preload.cjs', devTools: false, logger, quit, platform });
  const window = () => {
    const w = BrowserWindow.windows.at(-1);
    if (!w) throw new Error('no prompt window was made');
    return w;
  };
  return { controller, window, quit };
}

beforeEach(() => {
  BrowserWindow.windows.length = 0;
  BrowserWindow.focused = null;
  app.removeAllListeners('before-quit');
});

describe('the prompt window (electron-mocked)', () => {
  it('is made on the first prompt and shown inactive once painted, never with show() or focus()', () => {
    const { controller, window } = promptWindow();
    expect(BrowserWindow.windows).toHaveLength(0);
    controller.update(1);
    expect(window().visible).toBe(false); // not before it has painted: no empty frame
    window().paint();
    expect(window().visible).toBe(true);
    expect(window().calls).toContain('showInactive');
    expect(window().calls).not.toContain('show');
    expect(window().calls).not.toContain('focus');
    expect(BrowserWindow.focused).toBeNull();
  });

  it('floats above other windows on every workspace, and cannot be minimized behind them', () => {
    const { controller, window } = promptWindow('linux');
    controller.update(1);
    expect(window().options).toMatchObject({
      alwaysOnTop: true,
      minimizable: false,
      fullscreenable: false,
      skipTaskbar: false,
      resizable: true,
      minWidth: 360,
    });
    expect(window().calls).toContain('setAlwaysOnTop:true:floating');
    expect(window().calls).toContain('setVisibleOnAllWorkspaces:true:fullscreen');
  });

  it('floats at the pop-up-menu level on macOS', () => {
    const { controller, window } = promptWindow('darwin');
    controller.update(1);
    expect(window().calls).toContain('setAlwaysOnTop:true:pop-up-menu');
  });

  it('hides when the pending list empties, and comes back (same window) for the next prompt', () => {
    const { controller, window } = promptWindow();
    controller.update(2);
    window().paint();
    const first = window();
    controller.update(0);
    expect(first.visible).toBe(false);
    controller.update(1);
    expect(BrowserWindow.windows).toHaveLength(1);
    expect(first.visible).toBe(true);
    expect(first.calls.filter((c) => c === 'showInactive')).toHaveLength(2);
  });

  it('re-asserts always-on-top and raises itself when it loses focus while a call waits', () => {
    const { controller, window } = promptWindow();
    controller.update(1);
    window().paint();
    window().calls.length = 0;
    window().emit('blur');
    expect(window().calls).toEqual(['setAlwaysOnTop:true:floating', 'moveTop']);
    controller.update(0);
    window().calls.length = 0;
    window().emit('blur');
    expect(window().calls).toEqual([]); // nothing waits: it stays hidden
  });

  it('shows itself again when something hides it while a call waits', () => {
    const { controller, window } = promptWindow();
    controller.update(1);
    window().paint();
    window().hide(); // e.g. Cmd+H hid the app
    expect(window().visible).toBe(true);
  });

  it('stays open when its close button is used while a call waits, and hides when nothing waits', () => {
    const { controller, window } = promptWindow();
    controller.update(1);
    window().paint();
    expect(window().close()).toBe(false);
    expect(window().visible).toBe(true);
    controller.update(0);
    controller.update(1);
    controller.update(0);
    expect(window().close()).toBe(false); // still hidden, not destroyed: the app lives on in the tray
    expect(window().destroyed).toBe(false);
  });

  it('closes for real while the app quits', () => {
    const { controller, window } = promptWindow();
    controller.update(1);
    window().paint();
    app.emit('before-quit', { preventDefault: () => undefined });
    expect(window().close()).toBe(true);
  });

  it('takes keyboard focus only when the user asks (focus shortcut), and only while something waits', () => {
    const { controller, window } = promptWindow();
    expect(controller.focus()).toBe(false);
    controller.update(1);
    expect(controller.focus()).toBe(true);
    expect(window().calls).not.toContain('focus'); // not painted yet: it focuses once painted
    window().paint();
    expect(window().calls).toContain('focus');
    expect(BrowserWindow.focused).toBe(window());
  });

  it('activates the app on macOS when the user asks for the prompt', () => {
    const { controller, window } = promptWindow('darwin');
    controller.update(1);
    window().paint();
    app.focusCalls.length = 0;
    controller.focus();
    expect(app.focusCalls).toEqual([{ steal: true }]);
  });
});
