/**
 * The renderer's Content-Security-Policy. Everything the renderer runs and shows comes from its own
 * origin (the packaged Vite build); it reaches main only through `window.guard`, never the network.
 * - `script-src 'self'`: the Vite production build is plain module files; no inline script, no eval.
 * - `style-src 'self'`: the build emits CSS files linked from index.html; React's `style={…}` is set
 *   through the CSSOM, which CSP does not restrict, so no `'unsafe-inline'` is needed.
 * - `img-src 'self' data:`: Vite inlines small images (under `build.assetsInlineLimit`, 4 KiB) as
 *   `data:` URLs.
 * - `connect-src 'self'`: no network from the window; the browser mode (`mcp-guard serve --ui`) is
 *   served by the guard service with its own policy, which adds its loopback WebSocket.
 * - `object-src`, `base-uri`, `form-action` `'none'`; `frame-ancestors 'none'`: nothing may embed it.
 */
export const RENDERER_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
