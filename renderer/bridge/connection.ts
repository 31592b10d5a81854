/**
 * How the renderer reaches the guard service, as the UI shows it. In Electron the preload's
 * `window.guard` is always there (`alwaysOpen`); in the browser the WebSocket bridge comes and goes.
 * `generation` counts the times the link opened, so a hook can fetch state again after a reconnect.
 */
export type ConnectionState =
  | { readonly kind: 'connecting'; readonly generation: number; readonly lastError?: string }
  | { readonly kind: 'open'; readonly generation: number }
  | { readonly kind: 'closed'; readonly generation: number; readonly reason: string; readonly retrying: boolean };

/** A connection state that can be read and watched (the shape useSyncExternalStore takes). */
export interface ConnectionSource {
  readonly get: () => ConnectionState;
  readonly subscribe: (listener: () => void) => () => void;
}

/** The state of a link that never drops: the preload's IPC. */
export const alwaysOpen: ConnectionSource = {
  get: () => OPEN,
  subscribe: () => () => {},
};
const OPEN: ConnectionState = { kind: 'open', generation: 1 };

/** A ConnectionSource whose state the owner sets; listeners run on every change. */
export class ConnectionCell implements ConnectionSource {
  private state: ConnectionState = { kind: 'connecting', generation: 0 };
  private readonly listeners = new Set<() => void>();

  readonly get = (): ConnectionState => this.state;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  set(state: ConnectionState): void {
    this.state = state;
    for (const listener of [...this.listeners]) listener();
  }
}
