/** Hosts whose pages a link in the app may open in the user's browser. Everything else is dropped. */
export const EXTERNAL_LINK_HOSTS: ReadonlySet<string> = new Set(['mcp-guard.dev', 'modelcontextprotocol.io']);

/** Whether a link may be opened externally: https, an allowlisted host, default port, no credentials. */
export function isAllowedExternalUrl(url: string, hosts: ReadonlySet<string> = EXTERNAL_LINK_HOSTS): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return parsed.protocol === 'https:' && parsed.port === '' && parsed.username === '' && parsed.password === '' && hosts.has(parsed.hostname);
}
