import { BrowserWindow } from 'electron';
import type { Logger } from '../common/logger.js';
import { hideOnClose } from './hide-on-close.js';
import type { QuitState } from './quit-state.js';
import { RENDERER_ENTRY_URL } from './renderer-origin.js';
import { guardWebPreferences } from './web-preferences.js';

export interface MainWindowOptions {
  /** The bundled CommonJS preload (a sandboxed preload cannot be an ES module). */
  readonly preloadPath: string;
  /** Open DevTools on request; off in packaged builds. */
  readonly devTools: boolean;
  readonly logger: Logger;
  readonly quit: QuitState;
}

/** The app's main window: made on first show, hidden (not closed) by its close button, shown once painted. */
export class MainWindow {
  private window: BrowserWindow | undefined;

  constructor(private readonly options: MainWindowOptions) {}

  /** Shows and focuses the window (a user asked for it: tray, Dock, second launch), making it if needed. */
  show(): void {
    if (!this.window || this.window.isDestroyed()) {
      const window = (this.window = this.create());
      // Shown once painted, so it never flashes an empty frame.
      window.once('ready-to-show', () => reveal(window));
      return;
    }
    reveal(this.window);
  }

  private create(): BrowserWindow {
    const { options } = this;
    const window = new BrowserWindow({
      title: 'MCP Guard',
      width: 1120,
      height: 760,
      minWidth: 720,
      minHeight: 480,
      show: false,
      webPreferences: guardWebPreferences(options),
    });
    hideOnClose(window, options.quit);
    window.loadURL(RENDERER_ENTRY_URL).catch((error: unknown) => {
      // The renderer is part of the package; failing to load it is a broken build, not a user error.
      options.logger.log('error', 'renderer failed to load; the package is incomplete, reinstall MCP Guard', { url: RENDERER_ENTRY_URL, error: String(error) });
    });
    return window;
  }
}

function reveal(window: BrowserWindow): void {
  if (window.isMinimized()) window.restore();
  if (!window.isVisible()) window.show();
  window.focus();
}
