import { app, BrowserWindow } from 'electron';
import type { Logger } from '../common/logger.js';
import { hideOnClose } from './hide-on-close.js';
import type { QuitState } from './quit-state.js';
import { RENDERER_ENTRY_URL } from './renderer-origin.js';
import { guardWebPreferences } from './web-preferences.js';

export interface PromptWindowOptions {
  readonly preloadPath: string;
  readonly devTools: boolean;
  readonly logger: Logger;
  readonly quit: QuitState;
  readonly platform?: NodeJS.Platform;
}

/** The z-order level the prompt floats at: on macOS above other apps' floating panels (IDE palettes). */
export function promptWindowLevel(platform: NodeJS.Platform): 'pop-up-menu' | 'floating' {
  return platform === 'darwin' ? 'pop-up-menu' : 'floating';
}

/**
 * The approval prompt's own small window: the same renderer as the main window, floating above
 * every other window while a call waits, and hidden when nothing does. It appears with
 * showInactive, never taking keyboard focus from what the user is typing into (a key meant for the
 * editor must never answer a prompt); the user gives it focus by clicking it or with the focus
 * shortcut. Made on the first prompt and kept (hidden) after, so later prompts appear at once.
 */
export class PromptWindow {
  private window: BrowserWindow | undefined;
  private painted = false;
  private focusWhenPainted = false;
  private waiting = 0;
  private readonly level: 'pop-up-menu' | 'floating';

  constructor(private readonly options: PromptWindowOptions) {
    this.level = promptWindowLevel(options.platform ?? process.platform);
  }

  /** How many prompts wait now: shows the window (inactive) when some do, hides it when none do. */
  update(waiting: number): void {
    this.waiting = waiting;
    if (waiting > 0) return this.present();
    this.focusWhenPainted = false;
    if (this.window && !this.window.isDestroyed() && this.window.isVisible()) this.window.hide();
  }

  /** The user asked for the prompt (focus shortcut, notification): give it keyboard focus. False when nothing waits. */
  focus(): boolean {
    if (this.waiting === 0) return false;
    const window = this.ensureWindow();
    if (!this.painted) {
      this.focusWhenPainted = true;
      return true;
    }
    // macOS only activates a background app when asked to; the user asked.
    if ((this.options.platform ?? process.platform) === 'darwin') app.focus({ steal: true });
    window.show();
    window.focus();
    return true;
  }

  private present(): void {
    const window = this.ensureWindow();
    if (!this.painted) return; // ready-to-show presents it
    this.keepOnTop(window);
    if (!window.isVisible()) window.showInactive();
  }

  /** Always-on-top can be lost (another always-on-top window, a fullscreen switch): set it again and raise the window. */
  private keepOnTop(window: BrowserWindow): void {
    window.setAlwaysOnTop(true, this.level);
    window.moveTop();
  }

  private ensureWindow(): BrowserWindow {
    if (this.window && !this.window.isDestroyed()) return this.window;
    const window = new BrowserWindow({
      title: 'MCP Guard: approval needed',
      width: 480,
      height: 640,
      minWidth: 360,
      minHeight: 320,
      resizable: true,
      // Minimized or fullscreen, it would be behind other windows while a call waits.
      minimizable: false,
      maximizable: false,
      fullscreenable: false,
      alwaysOnTop: true,
      skipTaskbar: false,
      show: false,
      webPreferences: guardWebPreferences(this.options),
    });
    this.window = window;
    this.painted = false;
    window.setAlwaysOnTop(true, this.level);
    // On every Space / workspace and above fullscreen apps (macOS; there it also makes the app a
    // UI element while set, so the Dock icon hides: the price of floating over a fullscreen editor).
    window.setVisibleOnAllWorkspaces(true, { visibleOnFullScreen: true });
    window.once('ready-to-show', () => {
      this.painted = true;
      if (this.waiting === 0) return;
      this.present();
      if (this.focusWhenPainted) {
        this.focusWhenPainted = false;
        this.focus();
      }
    });
    // "It never hides behind other windows while a call waits."
    window.on('blur', () => {
      if (this.waiting > 0) this.keepOnTop(window);
    });
    window.on('hide', () => {
      if (this.waiting > 0) this.present();
    });
    // Closing it while a call waits would leave the agent waiting with nothing to answer on; Deny is the way out.
    hideOnClose(window, this.options.quit, () => this.update(this.waiting));
    window.on('closed', () => {
      if (this.window === window) this.window = undefined;
    });
    window.loadURL(RENDERER_ENTRY_URL).catch((error: unknown) => {
      this.options.logger.log('error', 'the prompt window could not load the renderer; the package is incomplete, reinstall MCP Guard', {
        url: RENDERER_ENTRY_URL,
        error: String(error),
      });
    });
    return window;
  }
}
