/**
 * The browser mode's access token. `mcp-guard serve --ui` prints `http://127.0.0.1:PORT/#token=…`;
 * the token is taken out of the address bar at once (so it is not in history, screenshots or a
 * copied link) and kept in sessionStorage, so a reload of this tab still connects.
 */
const STORAGE_KEY = 'mcp-guard:bridge-token';

export function takeBridgeToken(): string | undefined {
  const fromHash = new URLSearchParams(location.hash.replace(/^#/, '')).get('token') ?? undefined;
  if (fromHash !== undefined && fromHash !== '') {
    history.replaceState(history.state, '', `${location.pathname}${location.search}`);
    try {
      sessionStorage.setItem(STORAGE_KEY, fromHash);
    } catch {
      // Storage can be disabled; the token still works for this page load.
    }
    return fromHash;
  }
  try {
    return sessionStorage.getItem(STORAGE_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}
