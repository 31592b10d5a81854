import type { GuardApi } from '../../shared/ipc.js';
import { takeBridgeToken } from './bridge-token.js';
import { alwaysOpen, type ConnectionSource } from './connection.js';
import { bridgeUrl, createWsBridge } from './ws-bridge.js';

/** `window.guard` and how it is connected: the preload's (Electron) or the WebSocket bridge's (browser). */
export interface GuardLink {
  readonly guard: GuardApi;
  readonly connection: ConnectionSource;
}

// One page, one link: a second call must not open a second socket (the service would count two UIs).
let link: GuardLink | undefined;

export function getGuardLink(): GuardLink {
  link ??= openLink();
  return link;
}

export function getGuard(): GuardApi {
  return getGuardLink().guard;
}

function openLink(): GuardLink {
  const preload = window.guard;
  if (preload !== undefined) return { guard: preload, connection: alwaysOpen };
  const token = takeBridgeToken();
  return createWsBridge({ url: token === undefined ? undefined : bridgeUrl(location.host, token) });
}
