import type { IpcHandler } from './handle.js';

export interface AppHandlerDeps {
  /** The app's version (Electron's `app.getVersion()`, which reads package.json). */
  readonly version: () => string;
}

/** Handlers of the `app:*` channels. */
export function appHandlers(deps: AppHandlerDeps): { readonly 'app:version': IpcHandler<'app:version'> } {
  return {
    'app:version': () => deps.version(),
  };
}
