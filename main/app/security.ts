import { app, shell } from 'electron';
import type { Session, WebContents } from 'electron';
import { RENDERER_CSP } from './csp.js';
import { isAllowedExternalUrl } from './external-links.js';

/**
 * Rules for every web page the app ever creates; call before the app is ready.
 * - Every renderer is sandboxed, whatever its window options say.
 * - No page navigates away: a link to an allowlisted https page opens in the user's browser instead.
 * - No page opens windows; an allowlisted https link asked for in a new window also opens externally.
 * - No <webview> is ever attached.
 */
export function installAppSecurityRules(): void {
  app.enableSandbox();
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
}

function hardenWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    event.preventDefault();
    openExternallyIfAllowed(url);
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openExternallyIfAllowed(url);
    return { action: 'deny' };
  });
}

function openExternallyIfAllowed(url: string): void {
  if (!isAllowedExternalUrl(url)) return;
  shell.openExternal(url).catch(() => {
    // The OS has no handler for https or refused; the click simply does nothing, as in a browser.
  });
}

/**
 * Rules for a session; call once the app is ready, for every session a window uses.
 * - Every permission (camera, notifications, clipboard, HID, …) is refused, asked or checked:
 *   the UI needs none; add one here, by name and for our origin only, when a feature does.
 * - Every response gets the renderer's CSP, so no page in the app runs code from elsewhere.
 */
export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.webRequest.onHeadersReceived((details, callback) => {
    const responseHeaders = withoutHeader(details.responseHeaders ?? {}, 'content-security-policy');
    callback({ responseHeaders: { ...responseHeaders, 'Content-Security-Policy': [RENDERER_CSP] } });
  });
}

/** Header names are case-insensitive; drop every spelling so ours is the only policy. */
function withoutHeader(headers: Record<string, string[]>, name: string): Record<string, string[]> {
  return Object.fromEntries(Object.entries(headers).filter(([key]) => key.toLowerCase() !== name));
}
