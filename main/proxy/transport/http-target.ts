/**
 * Where and how a remote MCP server is reached: its URL and the configured headers, checked once
 * at start so that a bad value fails with its name and not its value; and the secrets in them,
 * which no log line or error may show.
 */
import { Buffer } from 'node:buffer';
import type { LaunchSpec } from '../../../shared/launch-spec.js';

type HttpSpec = Extract<LaunchSpec, { kind: 'http' }>;

/** The URL without credentials, and the headers every request carries. */
export type HttpTarget = { url: URL; headers: Headers };

/** URL credentials become Basic authorization unless an Authorization header was given. */
export function parseTarget(spec: HttpSpec): HttpTarget | { problem: string } {
  let url: URL;
  try {
    url = new URL(spec.url);
  } catch {
    return { problem: 'the --url value is not a valid URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { problem: `the --url must start with http:// or https:// (it is ${url.protocol})` };
  const headers = new Headers();
  for (const [name, value] of Object.entries(spec.headers)) {
    try {
      headers.append(name, value);
    } catch {
      return { problem: `the --header ${JSON.stringify(name.slice(0, 60))} has a name or value that HTTP does not allow (for example a line break)` };
    }
  }
  const basic = basicCredentials(url);
  if (basic && !headers.has('authorization')) headers.set('authorization', `Basic ${basic}`);
  url.username = '';
  url.password = '';
  return { url, headers };
}

/** The server as messages name it: origin and path, never credentials or the query (tokens live there). */
export function describeTarget(spec: HttpSpec): string {
  try {
    const url = new URL(spec.url);
    return url.origin + url.pathname;
  } catch {
    return 'the configured URL';
  }
}

/** URL credentials and query (as written and decoded), header values, and the Basic credentials made of them. */
export function secretsOf(spec: HttpSpec): string[] {
  const secrets: string[] = [];
  try {
    const url = new URL(spec.url);
    for (const part of [url.username, url.password, url.search.slice(1)]) if (part) secrets.push(part, safeDecode(part));
    const basic = basicCredentials(url);
    if (basic) secrets.push(basic);
  } catch {
    // an invalid URL is reported by parseTarget
  }
  for (const value of Object.values(spec.headers)) if (value.length >= 3) secrets.push(value);
  return secrets;
}

/** Header values are ASCII; anything else (or surrounding space) is sent as `=?base64?…?=`, as the spec prescribes. */
export function headerValue(value: string): string {
  if (/^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/.test(value) && !value.startsWith('=?base64?')) return value;
  return `=?base64?${Buffer.from(value, 'utf8').toString('base64')}?=`;
}

function basicCredentials(url: URL): string | undefined {
  if (!url.username && !url.password) return undefined;
  return Buffer.from(`${safeDecode(url.username)}:${safeDecode(url.password)}`).toString('base64');
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
