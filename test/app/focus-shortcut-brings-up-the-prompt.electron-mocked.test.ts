// "Focus MCP Guard" (CommandOrControl+Alt+G, main/app/focus-shortcut.ts): the keyboard way to a
// prompt that appeared without taking focus; with nothing waiting it shows the main window. Another
// app holding the combination must not stop the app. Electron is replaced by ./fake-electron-app.ts
// because its binary cannot run here.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { DesktopShell, type DesktopEventSource } from '../../main/app/desktop-shell.js';
import { FOCUS_SHORTCUT, registerFocusShortcut } from '../../main/app/focus-shortcut.js';
import { QuitState } from '../../main/app/quit-state.js';
import { Emitter } from '../../main/common/emitter.js';
import type { GuardStatus, Prompt } from '../../shared/approvals.js';
import { BrowserWindow, globalShortcut } from './fake-electron-app.js';
import { callPrompt } from './sample-prompts.js';

vi.mock('electron', () => import('./fake-electron-app.js'));

function shellWith(initial: Prompt[]) {
  const changes = new Emitter<Prompt[]>();
  const status = new Emitter<GuardStatus>();
  let list = initial;
  const source: DesktopEventSource = {
    desk: { list: () => list, onDidChange: changes.event },
    uiStatus: () => ({ pendingApprovals: list.length, proxies: 0, policy: { problems: [] } }),
    onDidChangeStatus: status.event,
  };
  const logs: string[] = [];
  const logger = { log: (_level: string, message: string) => logs.push(message) };
  const shell = new DesktopShell(source, { preloadPath: '/app/preload.cjs', devTools: false, logger, quit: new QuitState(), onQuit: () => undefined });
  const release = registerFocusShortcut(() => shell.focus(), logger);
  const press = () => globalShortcut.registered.get(FOCUS_SHORTCUT)!();
  const setList = (next: Prompt[]) => {
    list = next;
    changes.fire(next);
  };
  return { shell, release, press, setList, logs };
}

beforeEach(() => {
  BrowserWindow.windows.length = 0;
  BrowserWindow.focused = null;
  globalShortcut.registered.clear();
  globalShortcut.taken.clear();
});

describe('the focus shortcut (electron-mocked)', () => {
  it('gives the waiting prompt keyboard focus', () => {
    const { press } = shellWith([callPrompt()]);
    const prompt = BrowserWindow.windows[0]!;
    prompt.paint();
    expect(BrowserWindow.focused).toBeNull(); // it appeared without focus
    press();
    expect(BrowserWindow.focused).toBe(prompt);
  });

  it('shows the main window when nothing waits', () => {
    const { press, setList } = shellWith([callPrompt()]);
    BrowserWindow.windows[0]!.paint();
    setList([]);
    press();
    const main = BrowserWindow.windows[1]!;
    main.paint();
    expect(main.visible).toBe(true);
    expect(BrowserWindow.focused).toBe(main);
  });

  it('is released on quit', () => {
    const { release } = shellWith([]);
    expect(globalShortcut.registered.has(FOCUS_SHORTCUT)).toBe(true);
    release();
    expect(globalShortcut.registered.has(FOCUS_SHORTCUT)).toBe(false);
  });

  it('logs and carries on when another app holds the combination', () => {
    globalShortcut.taken.add(FOCUS_SHORTCUT);
    const { release, logs } = shellWith([]);
    expect(logs).toContain(`${FOCUS_SHORTCUT} is taken by another app; focus MCP Guard from its tray icon instead`);
    expect(() => release()).not.toThrow();
  });
});
