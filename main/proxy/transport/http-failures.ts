/**
 * What went wrong talking to a remote MCP server, said so that the user knows what to do: network
 * errors by name, HTTP statuses with advice. Text that came from elsewhere (an error message, a
 * status text) passes through the caller's `scrub`, so no secret of the request reaches a log.
 */
import { Buffer } from 'node:buffer';
import { isObject } from '../json-rpc.js';

/** How much of an HTTP error body is read to find the server's own message. */
export const ERROR_BODY_LIMIT = 16 * 1024;

const NETWORK_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'host name lookup failed',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  UND_ERR_HEADERS_TIMEOUT: 'no answer within 300 s',
  UND_ERR_BODY_TIMEOUT: 'the stream was idle for 300 s',
  UND_ERR_SOCKET: 'the server closed the connection',
};

export function describeNetworkError(error: unknown, scrub: (text: string) => string): string {
  let cause = isObject(error) && 'cause' in error ? (error as { cause: unknown }).cause : error;
  if (cause instanceof AggregateError && cause.errors.length > 0) cause = cause.errors[0]; // localhost tried as ::1 and 127.0.0.1
  const code =
    isObject(cause) && typeof cause['code'] === 'string' ? cause['code'] : isObject(error) && typeof error['code'] === 'string' ? error['code'] : undefined;
  const known = code === undefined ? undefined : NETWORK_ERRORS[code];
  if (known) return `${known} (${code})`;
  if (isObject(error) && (error['name'] === 'AbortError' || error['name'] === 'TimeoutError')) return 'timed out';
  if (code && /CERT|SSL|TLS/.test(code)) return `the TLS certificate was not accepted (${code})`;
  const message = cause instanceof Error ? cause.message : error instanceof Error ? error.message : String(error);
  return scrub(code ? `${code}: ${message}` : message).slice(0, 300);
}

/** What the user can do about an HTTP status. */
export function advice(status: number, location: string | null): string {
  if (status >= 300 && status < 400) {
    let to = 'another URL';
    try {
      const url = new URL(location ?? '');
      to = url.origin + url.pathname;
    } catch {
      // relative or missing
    }
    return `it redirects to ${to}; MCP Guard does not follow redirects (they would carry your headers along), so give the final URL with --url`;
  }
  if (status === 401 || status === 403)
    return 'the server refused the credentials; check the Authorization header (--header, or the secret in the keychain: mcp-guard secrets list), or sign in again if it uses OAuth';
  if (status === 404) return 'there is no MCP endpoint at this URL; check the --url value';
  if (status === 408 || status === 429 || status >= 500) return "the server could not answer now; try again later, or check the server's status";
  return 'the server rejected the request; check that the URL points at an MCP Streamable HTTP endpoint';
}

export function statusText(response: Response): string {
  const text = response.statusText.replace(/[^\x20-\x7e]/g, '').slice(0, 60);
  return text ? ` ${text}` : '';
}

/** The start of a body, at most `limit` bytes: enough for an error message, never a flood. */
export async function readLimited(response: Response, limit: number): Promise<string> {
  if (!response.body) return '';
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < limit) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
    }
    if (size >= limit) await reader.cancel();
  } catch {
    // a broken error body: the status is what counts
  }
  return Buffer.concat(chunks).toString('utf8');
}
