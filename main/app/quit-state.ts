import { app } from 'electron';

/**
 * Whether the app is on its way out. Our windows hide instead of closing (the app lives in the tray),
 * except while quitting, when they must close or the quit would never finish.
 */
export class QuitState {
  private quitting = false;

  constructor() {
    // Tray menu, Cmd+Q, app.quit(), and the OS ending the session (macOS) all pass through before-quit.
    app.on('before-quit', () => this.markQuitting());
  }

  get isQuitting(): boolean {
    return this.quitting;
  }

  /** Also for Windows' session end (log off, shut down), which closes windows without before-quit. */
  markQuitting(): void {
    this.quitting = true;
  }
}
