// Threat: one window of the app (the prompt window, added later than the main one) is weaker than
// the others: Node in the renderer, no sandbox, no context isolation, a <webview>. Both windows take
// their web preferences from one function (main/app/web-preferences.ts). Electron's BrowserWindow
// is replaced by ./fake-electron-app.ts because the Electron binary cannot run here.
import { describe, expect, it, vi } from 'vitest';
import { MainWindow } from '../../main/app/main-window.js';
import { PromptWindow } from '../../main/app/prompt-window.js';
import { QuitState } from '../../main/app/quit-state.js';
import { RENDERER_ENTRY_URL } from '../../main/app/renderer-origin.js';
import { BrowserWindow } from './fake-electron-app.js';

vi.mock('electron', () => import('./fake-electron-app.js'));

describe('every window is hardened (electron-mocked)', () => {
  it('gives the main window and the prompt window the same locked-down web preferences and our renderer', () => {
    const options = { preloadPath: '/app/dist/preload/preload.cjs', devTools: false, logger: { log: () => undefined }, quit: new QuitState() };
    new MainWindow(options).show();
    new PromptWindow(options).update(1);
    expect(BrowserWindow.windows).toHaveLength(2);
    const [main, prompt] = BrowserWindow.windows.map((w) => w.options['webPreferences'] as Record<string, unknown>);
    expect(prompt).toEqual(main);
    expect(main).toMatchObject({
      preload: '/app/dist/preload/preload.cjs',
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      sandbox: true,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      devTools: false,
    });
    for (const w of BrowserWindow.windows) expect(w.webContents.getURL()).toBe(RENDERER_ENTRY_URL);
  });
});
