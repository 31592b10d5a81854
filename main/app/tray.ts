import { app, Menu, Tray } from 'electron';
import type { MenuItemConstructorOptions } from 'electron';
import { setStartAtLogin, startAtLoginSupported, startsAtLogin } from './login-item.js';
import { trayIcon } from './tray-icon.js';

/** What the tray and the Dock say for a number of waiting prompts. */
export interface TrayBadge {
  readonly tooltip: string;
  /** Next to the menu-bar icon (macOS); empty when nothing waits, so the icon stands alone. */
  readonly title: string;
  /** The Dock / launcher badge; 0 clears it. */
  readonly badge: number;
  /** The first, disabled line of the menu (some Linux trays show no tooltip). */
  readonly summary: string;
}

export function trayBadge(waiting: number): TrayBadge {
  const count = Math.max(0, Math.floor(waiting));
  const summary = count === 0 ? 'Nothing waiting for you' : `${count} approval${count === 1 ? '' : 's'} waiting`;
  return { tooltip: `MCP Guard: ${summary.charAt(0).toLowerCase()}${summary.slice(1)}`, title: count === 0 ? '' : String(count), badge: count, summary };
}

export interface GuardTrayOptions {
  /** "Show MCP Guard", and a click on the icon where the OS reports one. */
  readonly onShow: () => void;
  /** "Quit MCP Guard": the one way out besides the OS's own (Cmd+Q, log off). */
  readonly onQuit: () => void;
  readonly platform?: NodeJS.Platform;
}

/**
 * The tray (menu-bar) icon: where the app lives while its windows are closed. Its tooltip, its
 * title on macOS and the app's badge count say how many approvals wait.
 */
export class GuardTray {
  private readonly tray: Tray;
  private readonly platform: NodeJS.Platform;
  private waiting = 0;

  constructor(private readonly options: GuardTrayOptions) {
    this.platform = options.platform ?? process.platform;
    this.tray = new Tray(trayIcon(this.platform));
    this.tray.on('click', () => options.onShow());
    this.render();
  }

  setWaiting(waiting: number): void {
    if (waiting === this.waiting) return;
    this.waiting = waiting;
    this.render();
  }

  dispose(): void {
    if (!this.tray.isDestroyed()) this.tray.destroy();
  }

  private render(): void {
    const badge = trayBadge(this.waiting);
    this.tray.setToolTip(badge.tooltip);
    if (this.platform === 'darwin') this.tray.setTitle(badge.title);
    // Supported on macOS and Unity-style Linux launchers; elsewhere it returns false and the tray says it.
    app.setBadgeCount(badge.badge);
    // Linux needs the menu set again after any change to it, so it is rebuilt whole each time.
    this.tray.setContextMenu(Menu.buildFromTemplate(this.menu(badge)));
  }

  private menu(badge: TrayBadge): MenuItemConstructorOptions[] {
    const items: MenuItemConstructorOptions[] = [
      { label: badge.summary, enabled: false },
      { type: 'separator' },
      { label: 'Show MCP Guard', click: () => this.options.onShow() },
    ];
    if (startAtLoginSupported(this.platform)) {
      items.push({
        label: 'Start at login',
        type: 'checkbox',
        checked: startsAtLogin(),
        click: (item) => {
          setStartAtLogin(item.checked);
          this.render();
        },
      });
    }
    items.push({ type: 'separator' }, { label: 'Quit MCP Guard', click: () => this.options.onQuit() });
    return items;
  }
}
