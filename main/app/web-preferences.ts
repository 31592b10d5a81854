import type { WebPreferences } from 'electron';

export interface GuardWebPreferencesOptions {
  /** The bundled CommonJS preload (a sandboxed preload cannot be an ES module). */
  readonly preloadPath: string;
  /** Open DevTools on request; off in packaged builds. */
  readonly devTools: boolean;
}

/**
 * The web preferences of every window of ours (main window and prompt window alike), so a new
 * window cannot be weaker than the others by forgetting one. The renderer holds prompts with
 * arguments on screen: it gets no Node, runs sandboxed and isolated from the preload, and reaches
 * main only through `window.guard`.
 */
export function guardWebPreferences(options: GuardWebPreferencesOptions): WebPreferences {
  return {
    preload: options.preloadPath,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    sandbox: true,
    webviewTag: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    devTools: options.devTools,
    safeDialogs: true,
    spellcheck: false,
  };
}
