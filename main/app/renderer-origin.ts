import { isAbsolute, join, normalize, relative, sep } from 'node:path';

/**
 * The renderer is served from the app's own files under a privileged custom scheme
 * (`app://guard/…`), not from `file://`: the `grantFileProtocolExtraPrivileges` fuse is off, and
 * without those privileges Chromium refuses the ES module scripts a Vite build emits from `file://`.
 * A custom standard scheme also gives the renderer a real origin, which CSP `'self'` and the IPC
 * sender check match exactly. Nothing here is fetched from the network.
 */
export const RENDERER_SCHEME = 'app';
export const RENDERER_HOST = 'guard';
export const RENDERER_ENTRY_URL = `${RENDERER_SCHEME}://${RENDERER_HOST}/index.html`;

/** Whether `url` is a page of our renderer (used for the IPC sender check and navigation rules). */
export function isRendererUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return parsed.protocol === `${RENDERER_SCHEME}:` && parsed.host === RENDERER_HOST && parsed.username === '' && parsed.password === '';
}

/**
 * The file under `rendererRoot` that a renderer request names, or null when the request is for
 * another host or would leave the renderer folder (`..`, encoded or not, absolute paths, NUL).
 */
export function rendererFilePath(rendererRoot: string, requestUrl: string): string | null {
  if (!isRendererUrl(requestUrl)) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(requestUrl).pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0')) return null;
  const wanted = pathname === '/' ? 'index.html' : pathname.replace(/^\/+/, '');
  const file = normalize(join(rendererRoot, wanted));
  const inside = relative(rendererRoot, file);
  if (inside === '' || inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) return null;
  return file;
}
