import { BrowserWindow } from 'electron';
import type { GuardStatus, Prompt } from '../../shared/approvals.js';
import type { Logger } from '../common/logger.js';
import { MainWindow } from './main-window.js';
import { GuardNotifications } from './notifications.js';
import { PromptWindow } from './prompt-window.js';
import type { QuitState } from './quit-state.js';
import { GuardTray } from './tray.js';

/** What the desktop shell follows: main/service/guard-service.ts `GuardService`. */
export interface DesktopEventSource {
  readonly desk: {
    list(): Prompt[];
    onDidChange(listener: (prompts: Prompt[]) => void): () => void;
  };
  uiStatus(): GuardStatus;
  readonly onDidChangeStatus: (listener: (status: GuardStatus) => void) => () => void;
}

export interface DesktopShellOptions {
  readonly preloadPath: string;
  readonly devTools: boolean;
  readonly logger: Logger;
  readonly quit: QuitState;
  /** "Quit MCP Guard" in the tray menu. */
  readonly onQuit: () => void;
}

/**
 * The app around the service: the main window, the prompt window, the tray and the notifications,
 * each following the pending list and the status. Made once the service runs; dispose on quit.
 */
export class DesktopShell {
  private readonly mainWindow: MainWindow;
  private readonly promptWindow: PromptWindow;
  private readonly tray: GuardTray;
  private readonly notifications: GuardNotifications;
  private readonly stops: Array<() => void>;
  private disposed = false;

  constructor(source: DesktopEventSource, options: DesktopShellOptions) {
    this.mainWindow = new MainWindow(options);
    this.promptWindow = new PromptWindow(options);
    this.tray = new GuardTray({ onShow: () => this.showMainWindow(), onQuit: options.onQuit });
    this.notifications = new GuardNotifications({
      isAppFocused: () => BrowserWindow.getFocusedWindow() !== null,
      onPromptClick: () => this.focus(),
      onPolicyClick: () => this.showMainWindow(),
    });
    this.stops = [source.desk.onDidChange((prompts) => this.pendingChanged(prompts)), source.onDidChangeStatus((status) => this.notifications.status(status))];
    // What is already there when the app starts (a broken policy file) is announced too.
    this.pendingChanged(source.desk.list());
    this.notifications.status(source.uiStatus());
  }

  /** A user asked for the app (tray, Dock, second launch). */
  showMainWindow(): void {
    if (!this.disposed) this.mainWindow.show();
  }

  /** The focus shortcut or a prompt notification: the prompt when one waits, else the main window. */
  focus(): void {
    if (this.disposed) return;
    if (!this.promptWindow.focus()) this.mainWindow.show();
  }

  /** Stops following the service first, so nothing updates a tray or window that is gone. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const stop of this.stops) stop();
    this.notifications.dispose();
    this.tray.dispose();
  }

  private pendingChanged(prompts: readonly Prompt[]): void {
    this.promptWindow.update(prompts.length);
    this.tray.setWaiting(prompts.length);
    this.notifications.prompts(prompts);
  }
}
