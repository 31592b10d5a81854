import type { BrowserWindow } from 'electron';
import type { QuitState } from './quit-state.js';

/**
 * Closing one of our windows hides it, and the app stays in the tray: the guard service in this
 * process must keep answering proxies. While quitting the window closes for real. `onClose` runs
 * instead of hiding when given (the prompt window decides for itself).
 */
export function hideOnClose(window: BrowserWindow, quit: QuitState, onClose: () => void = () => window.hide()): void {
  window.on('close', (event) => {
    if (quit.isQuitting) return;
    event.preventDefault();
    onClose();
  });
  // Windows closes windows at log-off and shutdown without before-quit; blocking that would block the OS.
  window.on('session-end', () => quit.markQuitting());
}
