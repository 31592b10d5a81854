import { ipcMain } from 'electron';
import type { IpcMainInvokeEvent } from 'electron';
import { ipcChannels, parseOrThrow } from '../../shared/ipc.js';
import type { IpcArgs, IpcChannel, IpcResult } from '../../shared/ipc.js';

/** One handler per channel of the contract; main/ipc/ipc-handlers.ts assembles them from the domain files. */
export type IpcHandler<C extends IpcChannel> = (...args: IpcArgs<C>) => IpcResult<C> | Promise<IpcResult<C>>;
export type IpcHandlers = { readonly [C in IpcChannel]: IpcHandler<C> };

/** Whether a frame's URL is our own renderer; anything else (a navigated or injected frame) is refused. */
export type IsOurFrame = (frameUrl: string) => boolean;

/**
 * The single place main answers the renderer (`ipcMain` is used nowhere else). For each channel:
 * refuse senders that are not our renderer, parse the arguments with the channel's schema, call the
 * handler, parse its result, so nothing outside the contract crosses in either direction.
 * Returns a function that removes every handler (for a clean quit and for tests).
 */
export function registerIpcHandlers(handlers: IpcHandlers, isOurFrame: IsOurFrame): () => void {
  const channels = Object.keys(ipcChannels) as IpcChannel[];
  for (const channel of channels) {
    ipcMain.handle(channel, (event, ...rawArgs: unknown[]) => invokeHandler(channel, handlers[channel], isOurFrame, event, rawArgs));
  }
  return () => {
    for (const channel of channels) ipcMain.removeHandler(channel);
  };
}

async function invokeHandler<C extends IpcChannel>(
  channel: C,
  handler: IpcHandler<C>,
  isOurFrame: IsOurFrame,
  event: IpcMainInvokeEvent,
  rawArgs: unknown[],
): Promise<IpcResult<C>> {
  const frameUrl = senderFrameUrl(event);
  if (frameUrl === undefined || !isOurFrame(frameUrl)) {
    throw new Error(
      `ipc ${channel}: refused a call from ${frameUrl === undefined ? 'a frame that is gone' : `"${frameUrl}"`}, which is not the MCP Guard window`,
    );
  }
  const spec = ipcChannels[channel];
  const args = parseOrThrow(spec.args, rawArgs, `${channel} arguments`) as IpcArgs<C>;
  return parseOrThrow(spec.result, await handler(...args), `${channel} result`) as IpcResult<C>;
}

/** The calling frame's URL, or undefined when the frame is gone (Electron throws on a disposed frame). */
function senderFrameUrl(event: IpcMainInvokeEvent): string | undefined {
  try {
    return event.senderFrame?.url;
  } catch {
    return undefined;
  }
}
