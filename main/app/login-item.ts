import { app } from 'electron';

/**
 * "Start at login", where Electron can set it (macOS and Windows; Linux desktops keep autostart
 * entries in their own settings, which Electron does not write). Started at login, the app comes
 * up in the tray without opening its window: on Windows the login entry passes HIDDEN_ARG, on
 * macOS the OS says so.
 */
export const HIDDEN_ARG = '--hidden';

export function startAtLoginSupported(platform: NodeJS.Platform = process.platform): boolean {
  return platform === 'darwin' || platform === 'win32';
}

/** Windows compares the entry's arguments too: the same ones are passed when reading and writing. */
const loginEntry = { args: [HIDDEN_ARG] };

export function startsAtLogin(): boolean {
  return app.getLoginItemSettings(loginEntry).openAtLogin;
}

export function setStartAtLogin(openAtLogin: boolean): void {
  app.setLoginItemSettings({ ...loginEntry, openAtLogin });
}

/** Whether this launch is the one at login (then the window stays closed until asked for). */
export function openedAtLogin(argv: readonly string[] = process.argv, platform: NodeJS.Platform = process.platform): boolean {
  if (platform === 'win32') return argv.includes(HIDDEN_ARG);
  if (platform === 'darwin') return app.getLoginItemSettings().wasOpenedAtLogin;
  return false;
}
