import { BrowserWindow } from 'electron';
import type { EmitEvent } from './guard-events.js';

/** Whether a page is our renderer (main/app/renderer-origin.ts `isRendererUrl`, handed in by main/index.ts). */
export type IsOurPage = (url: string) => boolean;

/**
 * The Electron half of forwardGuardEvents: each event goes to every live window showing our
 * renderer (the main window and the prompt window). A window still loading, crashed, or showing
 * anything else gets nothing: prompts carry call arguments, which go to our page only. The only
 * `webContents.send` of the app (STYLE.md: IPC primitives live in main/ipc).
 */
export function sendToOurWindows(isOurPage: IsOurPage, windows: () => readonly BrowserWindow[] = () => BrowserWindow.getAllWindows()): EmitEvent {
  return (event, payload) => {
    for (const window of windows()) {
      if (window.isDestroyed()) continue;
      const contents = window.webContents;
      if (contents.isDestroyed() || contents.isCrashed() || !isOurPage(contents.getURL())) continue;
      contents.send(event, payload);
    }
  };
}
