// The renderer ↔ main contract holds end to end: shared/ipc.ts, the handlers, handle() and the preload.
// Electron's ipcMain, ipcRenderer and contextBridge are replaced by test/ipc/fake-electron-ipc.ts
// because the Electron binary cannot run here; everything else is the real code.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { buildApi, ipcChannels, ipcEvents, splitChannel } from '../../shared/ipc.js';
import type { GuardApi } from '../../shared/ipc.js';
import { registerIpcHandlers } from '../../main/ipc/handle.js';
import { allIpcHandlers, ipcHandlerGroups, mergeHandlerGroups } from '../../main/ipc/ipc-handlers.js';
import { isRendererUrl } from '../../main/app/renderer-origin.js';
import { fake } from './fake-electron-ipc.js';
import { handlerDeps } from './handler-deps.js';

vi.mock('electron', () => import('./fake-electron-ipc.js'));

const deps = handlerDeps('9.8.7');
const contractChannels = Object.keys(ipcChannels).sort();

async function loadPreload(): Promise<GuardApi> {
  await import('../../main/preload/preload.js');
  return fake.exposedInMainWorld('guard') as GuardApi;
}

/** The functions the preload exposes, as `domain:verb` names. */
function exposedChannels(api: object): string[] {
  return Object.entries(api)
    .filter(([key]) => key !== 'on')
    .flatMap(([domain, group]) => Object.keys(group as object).map((verb) => `${domain}:${verb}`))
    .sort();
}

afterEach(() => fake.reset());

describe('IPC contract (electron-mocked)', () => {
  it('names every channel domain:verb, so it maps to window.guard.<domain>.<verb>', () => {
    expect(contractChannels.length).toBeGreaterThan(0);
    for (const channel of contractChannels) expect(() => splitChannel(channel)).not.toThrow();
  });

  it('has exactly one handler per channel across the domain handler files, and none without a channel', () => {
    const handled = ipcHandlerGroups(deps)
      .flatMap((group) => Object.keys(group))
      .sort();
    expect(handled).toEqual(contractChannels);
    expect(() => allIpcHandlers(deps)).not.toThrow();
  });

  it('registers with ipcMain exactly the channels of the contract', () => {
    const unregister = registerIpcHandlers(allIpcHandlers(deps), isRendererUrl);
    expect(fake.registeredChannels()).toEqual(contractChannels);
    unregister();
    expect(fake.registeredChannels()).toEqual([]);
  });

  it('exposes exactly one preload function per channel as window.guard, plus on()', async () => {
    const api = await loadPreload();
    expect(exposedChannels(api)).toEqual(contractChannels);
    expect(typeof api.on).toBe('function');
  });

  it('answers window.guard.app.version() from the app through handle()', async () => {
    const api = await loadPreload();
    registerIpcHandlers(allIpcHandlers(deps), isRendererUrl);
    await expect(api.app.version()).resolves.toBe('9.8.7');
  });

  it('rejects arguments the contract does not allow, naming the channel and the field', async () => {
    const api = await loadPreload();
    registerIpcHandlers(allIpcHandlers(deps), isRendererUrl);
    // A renderer that ignores the types (or is compromised) can pass anything.
    const call = Reflect.apply(api.app.version, undefined, ['unexpected']) as Promise<string>;
    await expect(call).rejects.toThrow(/ipc app:version arguments: Too big: expected array to have <=0 items/);
  });

  it('never hands the renderer a result the contract does not allow', async () => {
    const api = await loadPreload();
    const broken = { ...allIpcHandlers(deps), 'app:version': () => 42 as unknown as string };
    registerIpcHandlers(broken, isRendererUrl);
    await expect(api.app.version()).rejects.toThrow(/ipc app:version result: Invalid input: expected string/);
  });
});

describe('handler assembly refuses a contract mismatch at startup', () => {
  const version = () => '1.0.0';
  it('refuses two handlers for one channel', () => {
    expect(() => mergeHandlerGroups([{ 'app:version': version }, { 'app:version': version }])).toThrow('two handlers for "app:version"');
  });
  it('refuses a handler for a channel the contract does not declare', () => {
    expect(() => mergeHandlerGroups([{ 'app:version': version, 'secrets:get': version }])).toThrow('"secrets:get", which shared/ipc.ts does not declare');
  });
  it('refuses a contract channel without a handler', () => {
    expect(() => mergeHandlerGroups([])).toThrow('no handler for app:version');
  });
});

describe('contract-to-API mapping behind window.guard (no Electron involved)', () => {
  const channels = { 'app:version': ipcChannels['app:version'] };
  const events = { 'approvals:changed': z.object({ pending: z.number().int() }) };
  const listeners = new Map<string, (payload: unknown) => void>();
  const api = buildApi(
    channels,
    events,
    () => Promise.resolve('unused'),
    (event, cb) => {
      listeners.set(event, cb);
      return () => listeners.delete(event);
    },
  );

  it('hands the callback the parsed payload and returns a working unsubscribe', () => {
    const seen: unknown[] = [];
    const off = api.on('approvals:changed', (payload) => seen.push(payload));
    listeners.get('approvals:changed')!({ pending: 2 });
    expect(seen).toEqual([{ pending: 2 }]);
    off();
    expect(listeners.has('approvals:changed')).toBe(false);
  });

  it('refuses a payload the contract does not allow', () => {
    api.on('approvals:changed', () => undefined);
    expect(() => listeners.get('approvals:changed')!({ pending: 'two' })).toThrow(/ipc approvals:changed payload\.pending: Invalid input: expected number/);
  });

  it('refuses a result main should never have sent, in case main and the preload disagree', async () => {
    const wrongTransport = buildApi(
      channels,
      events,
      () => Promise.resolve(42),
      () => () => undefined,
    );
    await expect(wrongTransport.app.version()).rejects.toThrow(/ipc app:version result: Invalid input: expected string/);
  });

  it('refuses to subscribe to an event the contract does not declare', () => {
    expect(() => (api.on as (e: string, cb: () => void) => void)('secrets:value', () => undefined)).toThrow('unknown event "secrets:value"');
  });

  it('lets the preload subscribe to exactly the events of the contract, each delivered parsed and without the Electron event', async () => {
    const preloadApi = await loadPreload();
    expect(() => (preloadApi.on as (e: string, cb: () => void) => void)('app:version', () => undefined)).toThrow('unknown event');
    for (const event of Object.keys(ipcEvents)) {
      const got: unknown[] = [];
      const stop = (preloadApi.on as (e: string, cb: (p: unknown) => void) => () => void)(event, (p) => got.push(p));
      expect(fake.rendererListenerCount(event), event).toBe(1);
      stop();
      expect(fake.rendererListenerCount(event), event).toBe(0);
    }
  });
});
