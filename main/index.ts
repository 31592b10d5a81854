// MCP Guard, the Electron app: the boot list. Each step lives in main/app, main/ipc or
// main/service; this file only says what starts, in which order.
import { join } from 'node:path';
import { app, session } from 'electron';
import { JsonLineLogger } from './common/logger.js';
import { DesktopShell } from './app/desktop-shell.js';
import { registerFocusShortcut } from './app/focus-shortcut.js';
import { openedAtLogin, setStartAtLogin, startAtLoginSupported } from './app/login-item.js';
import { usePackagedLauncher } from './app/packaged-launcher.js';
import { QuitState } from './app/quit-state.js';
import { isRendererUrl } from './app/renderer-origin.js';
import { registerRendererScheme, serveRenderer } from './app/renderer-protocol.js';
import { hardenSession, installAppSecurityRules } from './app/security.js';
import { sendToOurWindows } from './ipc/electron-events.js';
import { forwardGuardEvents } from './ipc/guard-events.js';
import { registerIpcHandlers } from './ipc/handle.js';
import { guardUi } from './ipc/ipc-handlers.js';
import { startGuard, type RunningGuard } from './service/start-guard.js';
import { guardHome } from './store/guard-paths.js';
import { SettingsFileError, SettingsStore } from './store/settings-store.js';

/** electron-builder.yml `appId`; Windows attributes notifications to the app by it. */
const APP_ID = 'dev.mcp-guard.app';
const logger = new JsonLineLogger(process.stderr, { component: 'app' });
const appRoot = app.getAppPath();
const paths = {
  renderer: join(appRoot, 'dist', 'renderer'),
  preload: join(appRoot, 'dist', 'preload', 'preload.cjs'),
};

// 1. One app per user session: a second launch exits, and the first one shows its window (step 4).
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  // 2. Before ready: security rules for every page, the renderer's own origin, the launcher that
  //    wraps done from the app point at, and (Windows) the identity notifications are shown under.
  installAppSecurityRules();
  registerRendererScheme();
  usePackagedLauncher(process.env, app.isPackaged, process.resourcesPath);
  if (process.platform === 'win32') app.setAppUserModelId(APP_ID);
  const quit = new QuitState();

  // 3. The app lives in the tray: closing a window hides it, and having none open never quits
  //    (the service in this process answers the proxies). It quits from the tray menu or the OS.
  app.on('window-all-closed', () => undefined);

  // 4. When ready: start the guard service (what `mcp-guard serve` runs headless), lock the
  //    session down, serve the renderer, answer IPC and forward the service's events to it, put up
  //    the tray, the prompt window and notifications, and open the window (not at login).
  //    (Not a top-level await: Electron emits `ready` only after the ESM entry has finished.)
  app
    .whenReady()
    .then(() => startGuard({ home: guardHome(), log: logger }))
    .then((guard) => {
      stopGuardOnQuit(guard);
      applyStoredStartAtLogin(guard.paths.settings);
      hardenSession(session.defaultSession);
      serveRenderer(session.defaultSession, paths.renderer);
      const { service } = guard;
      const loginItem = { supported: startAtLoginSupported(), apply: setStartAtLogin };
      const { handlers, events } = guardUi(guard, {
        version: app.getVersion(),
        log: logger,
        env: process.env,
        launcher: process.env['MCP_GUARD_LAUNCHER'],
        loginItem,
      });
      const unregisterIpc = registerIpcHandlers(handlers, isRendererUrl);
      const stopEvents = forwardGuardEvents(events, sendToOurWindows(isRendererUrl));
      const desktop = new DesktopShell(service, { preloadPath: paths.preload, devTools: !app.isPackaged, logger, quit, onQuit: () => app.quit() });
      // A second launch, or the Dock icon (macOS), shows the window of this one.
      app.on('second-instance', () => desktop.showMainWindow());
      app.on('activate', () => desktop.showMainWindow());
      const releaseShortcut = registerFocusShortcut(() => desktop.focus(), logger);
      app.on('will-quit', () => {
        releaseShortcut();
        stopEvents();
        desktop.dispose();
        unregisterIpc();
      });
      if (!openedAtLogin()) desktop.showMainWindow();
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

/** "Start at login" as the Settings page stored it (the browser mode stores it too), applied at each start where the OS has a login item. */
function applyStoredStartAtLogin(settingsFile: string): void {
  if (!startAtLoginSupported()) return;
  const read = new SettingsStore(settingsFile).readSync();
  if (read.state === 'bad') return logger.log('error', `start at login not applied: ${new SettingsFileError(read.problems).message}`);
  if (read.settings.startAtLogin !== undefined) setStartAtLogin(read.settings.startAtLogin);
}
