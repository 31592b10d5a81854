import { BrowserWindow } from 'electron';
import type { Logger } from '../common/logger.js';
import { RENDERER_ENTRY_URL } from './renderer-origin.js';

export interface MainWindowOptions {
  /** The bundled CommonJS preload (a sandboxed preload cannot be an ES module). */
  readonly preloadPath: string;
  /** Open DevTools on request; off in packaged builds. */
  readonly devTools: boolean;
  readonly logger: Logger;
}

/** The app's main window: locked-down web preferences, the packaged renderer, shown once painted. */
export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    title: 'MCP Guard',
    width: 1120,
    height: 760,
    minWidth: 720,
    minHeight: 480,
    show: false,
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      nodeIntegration: false,
      sandbox: true,
      webviewTag: false,
      devTools: options.devTools,
      safeDialogs: true,
      spellcheck: false,
    },
  });
  window.once('ready-to-show', () => window.show());
  window.loadURL(RENDERER_ENTRY_URL).catch((error: unknown) => {
    // The renderer is part of the package; failing to load it is a broken build, not a user error.
    options.logger.log('error', 'renderer failed to load; the package is incomplete, reinstall MCP Guard', { url: RENDERER_ENTRY_URL, error: String(error) });
  });
  return window;
}
