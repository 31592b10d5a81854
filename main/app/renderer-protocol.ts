import { pathToFileURL } from 'node:url';
import { net, protocol } from 'electron';
import type { Session } from 'electron';
import { RENDERER_CSP } from './csp.js';
import { RENDERER_SCHEME, rendererFilePath } from './renderer-origin.js';

/**
 * Declares the renderer's scheme as a standard, secure origin (like https) that may use fetch; call
 * before the app is ready. Not `bypassCSP`, not `corsEnabled`: nothing else may load from it.
 */
export function registerRendererScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: RENDERER_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

/**
 * Serves `app://guard/…` from the built renderer folder (inside app.asar when packaged). Anything
 * but a GET for a file inside that folder gets 404. The CSP is set here as well as in hardenSession,
 * so the policy holds even where webRequest does not see custom-protocol responses.
 */
export function serveRenderer(session: Session, rendererRoot: string): void {
  session.protocol.handle(RENDERER_SCHEME, async (request) => {
    const file = rendererFilePath(rendererRoot, request.url);
    if (file === null || request.method !== 'GET') return notFound();
    const response = await net.fetch(pathToFileURL(file).toString()).catch(() => null);
    if (response === null || !response.ok) return notFound();
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', RENDERER_CSP);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(response.body, { status: response.status, headers });
  });
}

function notFound(): Response {
  return new Response('not found', { status: 404, headers: { 'Content-Type': 'text/plain', 'Content-Security-Policy': RENDERER_CSP } });
}
