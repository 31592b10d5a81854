// MCP Guard, the Electron app: the boot list. Each step lives in main/app, main/ipc or
// main/service; this file only says what starts, in which order.
import { join } from 'node:path';
import { app, BrowserWindow, session } from 'electron';
import { JsonLineLogger } from './common/logger.js';
import { createMainWindow } from './app/main-window.js';
import { isRendererUrl } from './app/renderer-origin.js';
import { registerRendererScheme, serveRenderer } from './app/renderer-protocol.js';
import { hardenSession, installAppSecurityRules } from './app/security.js';
import { registerIpcHandlers } from './ipc/handle.js';
import { allIpcHandlers } from './ipc/ipc-handlers.js';
import { startGuard, type RunningGuard } from './service/start-guard.js';
import { guardHome } from './store/guard-paths.js';

const logger = new JsonLineLogger(process.stderr, { component: 'app' });
const appRoot = app.getAppPath();
const paths = {
  renderer: join(appRoot, 'dist', 'renderer'),
  preload: join(appRoot, 'dist', 'preload', 'preload.cjs'),
};

// 1. One app per user session: a second launch focuses the first one and exits.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  // 2. Before ready: security rules for every page, and the renderer's own origin.
  installAppSecurityRules();
  registerRendererScheme();
  app.on('second-instance', focusOrOpenMainWindow);

  // 3. Quit when the last window closes, except on macOS, where the app stays in the Dock.
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', focusOrOpenMainWindow);

  // 4. When ready: start the guard service (what `mcp-guard serve` runs headless), lock the
  //    session down, serve the renderer, answer IPC, open the window.
  //    (Not a top-level await: Electron emits `ready` only after the ESM entry has finished.)
  app
    .whenReady()
    .then(() => startGuard({ home: guardHome(), log: logger }))
    .then((guard) => {
      stopGuardOnQuit(guard);
      hardenSession(session.defaultSession);
      serveRenderer(session.defaultSession, paths.renderer);
      const unregisterIpc = registerIpcHandlers(allIpcHandlers({ app: { version: () => app.getVersion() } }), isRendererUrl);
      app.on('will-quit', unregisterIpc);
      focusOrOpenMainWindow();
      logger.log('info', 'app started', { version: app.getVersion(), packaged: app.isPackaged });
    })
    .catch((error: unknown) => {
      logger.log('error', 'MCP Guard could not start; quitting', { error: error instanceof Error ? error.message : String(error) });
      app.exit(1);
    });
}

/** 5. On quit: the service stops (proxies fall back to deciding alone, pending prompts deny) before the app exits. */
function stopGuardOnQuit(guard: RunningGuard): void {
  let stopped = false;
  app.on('will-quit', (event) => {
    if (stopped) return;
    event.preventDefault();
    void guard
      .stop()
      .catch((error: unknown) =>
        logger.log('error', 'the guard service did not stop cleanly', { error: error instanceof Error ? error.message : String(error) }),
      )
      .finally(() => {
        stopped = true;
        app.quit();
      });
  });
}

function focusOrOpenMainWindow(): void {
  if (!app.isReady()) return;
  const existing = BrowserWindow.getAllWindows()[0];
  if (!existing) {
    createMainWindow({ preloadPath: paths.preload, devTools: !app.isPackaged, logger });
    return;
  }
  if (existing.isMinimized()) existing.restore();
  existing.focus();
}
