import { z } from 'zod';

/**
 * The browser mode's wire format: the shared/ipc.ts contract carried over a WebSocket between
 * renderer/bridge/ws-bridge.ts and main/ipc/ws-bridge.ts. One JSON object per WebSocket message.
 * Both sides parse every message with these schemas; the server also parses `args` with the
 * channel's own schema (as main/ipc/handle.ts does for Electron), so nothing outside the contract
 * crosses.
 */

/** The path the WebSocket is served on; the token goes in the query (`/guard?token=…`). */
export const BRIDGE_PATH = '/guard';

/** The largest message either side accepts (a prompt with long arguments fits many times over). */
export const BRIDGE_MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

export const BridgeRequest = z.strictObject({
  type: z.literal('invoke'),
  id: z.number().int().nonnegative(),
  channel: z.string().max(100),
  args: z.array(z.unknown()).max(10),
});
export type BridgeRequest = z.infer<typeof BridgeRequest>;

/** `value` and `payload` are absent for a channel whose result is void (JSON has no undefined). */
export const BridgeReply = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('result'), id: z.number().int().nonnegative(), value: z.unknown().optional() }),
  z.strictObject({ type: z.literal('error'), id: z.number().int().nonnegative(), message: z.string() }),
  z.strictObject({ type: z.literal('event'), event: z.string(), payload: z.unknown().optional() }),
]);
export type BridgeReply = z.infer<typeof BridgeReply>;
