/**
 * The renderer build's files for the browser mode, with the same strict CSP the app window has,
 * plus the one WebSocket the page talks to main through.
 */
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/** The page's CSP: nothing but its own files, and the bridge's WebSocket on this port. */
export function browserCsp(port: number): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src ws://127.0.0.1:${port}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export function serveStatic(req: IncomingMessage, res: ServerResponse, dir: string, port: number): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') return plain(res, 405, 'only GET and HEAD');
  let path: string;
  try {
    path = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
  } catch {
    return plain(res, 400, 'a path that does not decode');
  }
  const relative = path === '/' ? 'index.html' : normalize(path).replace(/^[/\\]+/, '');
  const file = join(dir, relative);
  const type = TYPES[extname(file)];
  if (!file.startsWith(dir + sep) || relative.split(/[/\\]/).some((part) => part.startsWith('.')) || type === undefined) return plain(res, 404, 'not found');
  readFile(file).then(
    (body) => {
      res.writeHead(200, {
        'content-type': type,
        'content-length': body.length,
        'content-security-policy': browserCsp(port),
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
        'referrer-policy': 'no-referrer',
        'cross-origin-opener-policy': 'same-origin',
        'cross-origin-resource-policy': 'same-origin',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    },
    (error: NodeJS.ErrnoException) =>
      error.code === 'ENOENT' && relative === 'index.html'
        ? plain(res, 503, `the UI is not built (${dir} has no index.html): run "npm run build" in the checkout, then reload`)
        : plain(res, 404, 'not found'),
  );
}

export function plain(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  res.end(text + '\n');
}
