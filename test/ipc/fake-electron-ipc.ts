// Stands in for the three Electron IPC objects the app uses, because the Electron binary cannot run
// here. Only the behaviour the app relies on is reproduced, as Electron documents it:
// - ipcMain.handle throws on a second handler for a channel; removeHandler removes it.
// - ipcRenderer.invoke structured-clones the arguments and rejects when no handler is registered;
//   main sees an event whose senderFrame is the calling frame (null once the frame is gone).
// - contextBridge.exposeInMainWorld publishes one value under a key, once.
// Tests use it through `vi.mock('electron', () => import('./fake-electron-ipc.js'))`.

type MainHandler = (event: { senderFrame: { url: string } | null }, ...args: unknown[]) => unknown;
type RendererListener = (event: { sender: unknown }, payload: unknown) => void;

const mainHandlers = new Map<string, MainHandler>();
const rendererListeners = new Map<string, Set<RendererListener>>();
const exposed = new Map<string, unknown>();
/** The URL of the frame the fake renderer calls from; null models a frame that has gone away. */
let senderFrameUrl: string | null = 'app://guard/index.html';

export const ipcMain = {
  handle(channel: string, handler: MainHandler): void {
    if (mainHandlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    mainHandlers.set(channel, handler);
  },
  removeHandler(channel: string): void {
    mainHandlers.delete(channel);
  },
};

export const ipcRenderer = {
  async invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    const handler = mainHandlers.get(channel);
    if (!handler) throw new Error(`Error invoking remote method '${channel}': Error: No handler registered for '${channel}'`);
    const frame = senderFrameUrl === null ? null : { url: senderFrameUrl };
    return structuredClone(await handler({ senderFrame: frame }, ...structuredClone(args)));
  },
  on(channel: string, listener: RendererListener): void {
    let set = rendererListeners.get(channel);
    if (!set) rendererListeners.set(channel, (set = new Set()));
    set.add(listener);
  },
  removeListener(channel: string, listener: RendererListener): void {
    rendererListeners.get(channel)?.delete(listener);
  },
};

export const contextBridge = {
  exposeInMainWorld(key: string, api: unknown): void {
    if (exposed.has(key)) throw new Error(`Cannot bind an API on top of an existing property on the window object`);
    exposed.set(key, api);
  },
};

/** Test controls, not part of Electron. */
export const fake = {
  registeredChannels: (): string[] => [...mainHandlers.keys()].sort(),
  exposedInMainWorld: (key: string): unknown => exposed.get(key),
  callFrom(url: string | null): void {
    senderFrameUrl = url;
  },
  /** What webContents.send would deliver to the renderer's listeners for `channel`. */
  sendToRenderer(channel: string, payload: unknown): void {
    for (const listener of rendererListeners.get(channel) ?? []) listener({ sender: 'electron-event-object' }, structuredClone(payload));
  },
  rendererListenerCount: (channel: string): number => rendererListeners.get(channel)?.size ?? 0,
  reset(): void {
    mainHandlers.clear();
    senderFrameUrl = 'app://guard/index.html';
  },
};
