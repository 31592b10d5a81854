/**
 * The secrets MCP Guard took out of client configs, in the OS keychain: the login keychain on macOS,
 * the Credential Manager on Windows, a Secret Service (gnome-keyring, KWallet) on Linux. One item
 * per secret, service "mcp-guard", account "<serverId>:<NAME>" (shared/server-registry.ts). There
 * is no fallback: a keychain that cannot be used is an error, never a plaintext file.
 */
import { createRequire } from 'node:module';
import type * as KeyringModule from '@napi-rs/keyring';
import { SERVER_ID_PATTERN } from '../../shared/server-id.js';

export const KEYCHAIN_SERVICE = 'mcp-guard';

/** The keychain items of a remote server's OAuth sign-in (main/proxy/transport/oauth-provider.ts): its tokens and its registered client. */
export const OAUTH_TOKENS_ITEM = 'oauth:tokens';
export const OAUTH_CLIENT_ITEM = 'oauth:client';

/** The keychain operations the store needs. Tests pass their own only to provoke the error paths. */
export interface KeychainBackend {
  /** The stored value, or null when there is no such item. */
  get(service: string, account: string): string | null;
  set(service: string, account: string, value: string): void;
  /** Whether there was an item to delete. */
  delete(service: string, account: string): boolean;
}

/** The keychain cannot be used at all (no keychain, locked, prompt dismissed); says what to do. */
export class KeychainUnavailableError extends Error {
  constructor(
    readonly serverId: string,
    readonly secretName: string,
    /** What the keychain said, scrubbed of the value being stored. */
    readonly detail: string,
    message: string,
  ) {
    super(message);
    this.name = 'KeychainUnavailableError';
  }
}

/** The keychain answered, but refused this item (an ambiguous match, a value it cannot hold). */
export class KeychainError extends Error {
  constructor(
    readonly serverId: string,
    readonly secretName: string,
    readonly detail: string,
    message: string,
  ) {
    super(message);
    this.name = 'KeychainError';
  }
}

type Operation = 'read' | 'store' | 'delete';

const SERVER_ID = new RegExp(SERVER_ID_PATTERN);
const CONTROL = /[\u0000-\u001f\u007f]/; // eslint-disable-line no-control-regex -- refusing control characters is the point

/**
 * Sync, as the platform calls are: ~1 ms for an item read through a kept entry, ~10-20 ms for the
 * first (native module, D-Bus connection, Secret Service session). The backend is the OS keychain;
 * another is for tests of the error paths only.
 */
export class KeychainSecretStore {
  constructor(
    private readonly backend: KeychainBackend = new NativeKeychain(),
    private readonly platform: NodeJS.Platform = process.platform,
  ) {}

  /** The secret's value, or undefined when the keychain has none for this server and name. */
  getSync(serverId: string, name: string): string | undefined {
    const account = accountOf(serverId, name);
    return this.call('read', serverId, name, undefined, () => this.backend.get(KEYCHAIN_SERVICE, account)) ?? undefined;
  }

  hasSync(serverId: string, name: string): boolean {
    return this.getSync(serverId, name) !== undefined;
  }

  /** Stores (or replaces) the value. An empty value is refused: a server never needs one from the keychain. */
  setSync(serverId: string, name: string, value: string): void {
    const account = accountOf(serverId, name);
    if (value === '') throw new Error(`mcp-guard: secret ${name} of server ${serverId}: refusing to store an empty value in the keychain; give the value`);
    this.call('store', serverId, name, value, () => this.backend.set(KEYCHAIN_SERVICE, account, value));
  }

  /** Whether there was an item to delete. */
  deleteSync(serverId: string, name: string): boolean {
    const account = accountOf(serverId, name);
    return this.call('delete', serverId, name, undefined, () => this.backend.delete(KEYCHAIN_SERVICE, account));
  }

  private call<T>(op: Operation, serverId: string, name: string, value: string | undefined, run: () => T): T {
    try {
      return run();
    } catch (error) {
      throw this.translate(error, op, serverId, name, value);
    }
  }

  /** Native errors carry keyring-core's Display text; its first words say which kind of error it is. */
  private translate(error: unknown, op: Operation, serverId: string, name: string, value: string | undefined): Error {
    const detail = scrub(nativeMessage(error), value);
    const what = `cannot ${op} the secret ${name} of server ${serverId} in the OS keychain`;
    if (/^(?:Platform failure|Couldn't access platform storage):/.test(detail)) {
      return new KeychainUnavailableError(serverId, name, detail, `mcp-guard: ${what}: ${happened(detail)} (${detail}); ${advice(this.platform)}`);
    }
    return new KeychainError(
      serverId,
      name,
      detail,
      `mcp-guard: ${what}: ${detail}; look at the item (service "${KEYCHAIN_SERVICE}", account "${serverId}:${name}") in the keychain's own tool (Seahorse, Keychain Access, Credential Manager)`,
    );
  }
}

/**
 * `<serverId>:<NAME>`. A server id never holds a ':' (SERVER_ID_PATTERN), so the account splits one
 * way only: `a:b` + `c` and `a` + `b:c` cannot both name one item.
 */
function accountOf(serverId: string, name: string): string {
  if (!SERVER_ID.test(serverId))
    throw new Error(
      `mcp-guard: server id ${JSON.stringify(serverId.slice(0, 200))}: expected a server id like "claude-code/user/github" (no ':', which separates it from the name in the keychain account)`,
    );
  if (name === '' || name.length > 256 || CONTROL.test(name))
    throw new Error(
      `mcp-guard: secret name ${JSON.stringify(name.slice(0, 256))} of server ${serverId}: expected 1 to 256 characters without control characters`,
    );
  return `${serverId}:${name}`;
}

/** keyring-core's text, whole: its first words name the kind of error, the rest what the platform said. */
function nativeMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/**
 * keyring-core's messages are fixed texts and platform errors, never the value; that is not ours to
 * promise, so a value (or a line of one) found in one is cut out. Pieces under 4 characters are left:
 * cutting them would garble the message ("v" is in "Service") and hide nothing worth hiding.
 */
function scrub(text: string, value: string | undefined): string {
  let out = text.length > 500 ? `${text.slice(0, 500)}…` : text;
  if (value === undefined) return out;
  for (const piece of [value, ...value.split(/\r?\n/)]) if (piece.length >= 4) out = out.split(piece).join('[value]');
  return out;
}

/** What happened, in words, from the messages the Secret Service, D-Bus, macOS and Windows give. */
function happened(detail: string): string {
  if (/DBUS_SESSION_BUS_ADDRESS|autolaunch/i.test(detail)) return 'there is no D-Bus session (DBUS_SESSION_BUS_ADDRESS is not set)';
  if (/Failed to connect to socket|Address does not contain|connection refused|could not connect/i.test(detail)) return 'the D-Bus session bus does not answer';
  if (/org\.freedesktop\.secrets|Secret Service provider|ServiceUnknown/i.test(detail))
    return 'no Secret Service (such as gnome-keyring) runs on the D-Bus session';
  if (/Did not receive a reply|timed out/i.test(detail)) return 'the Secret Service did not answer (it may be hung: restart it)';
  if (/prompt was dismissed|prompt dismissed/i.test(detail)) return 'the keychain is locked and the unlock prompt was dismissed or could not be shown';
  if (/locked/i.test(detail)) return 'the keychain is locked';
  if (/no result found/i.test(detail)) return 'the Secret Service has no default keychain collection to store in (it was never created or unlocked)';
  if (/interaction is not allowed|user canceled/i.test(detail)) return 'the keychain is locked and could not ask to be unlocked';
  if (/logon session/i.test(detail)) return 'there is no logon session with a Credential Manager';
  return 'the keychain cannot be used';
}

function advice(platform: NodeJS.Platform): string {
  const never = 'MCP Guard never stores secrets in plaintext instead';
  switch (platform) {
    case 'darwin':
      return `unlock the login keychain (log in to the macOS session, or unlock it in Keychain Access) and allow mcp-guard when macOS asks; ${never}`;
    case 'win32':
      return `run mcp-guard in an interactive Windows logon session, where the Credential Manager is available (not as a service or over SSH without a loaded profile); ${never}`;
    default:
      return `start gnome-keyring or another Secret Service and unlock it (e.g. log in to the desktop session); ${never}`;
  }
}

/**
 * @napi-rs/keyring, loaded on first use: the `mcp-guard` commands that never touch a secret should
 * not load a native addon, and the CLI bundle keeps it external (a .node file cannot be bundled).
 * On Linux the entry is pinned to the Secret Service; unpinned, keyring-core falls back to the kernel
 * keyring, which forgets everything at logout and is readable by any process of the user.
 */
class NativeKeychain implements KeychainBackend {
  private module: typeof KeyringModule | undefined;
  /**
   * Entries kept for reuse: making one opens a D-Bus connection and a Secret Service session
   * (~10 ms); reading through a kept one takes ~1 ms. Few, since each holds a connection open.
   */
  private readonly entries = new Map<string, KeyringModule.Entry>();

  get(service: string, account: string): string | null {
    return this.withEntry(service, account, (e) => e.getPassword());
  }

  set(service: string, account: string, value: string): void {
    this.withEntry(service, account, (e) => e.setPassword(value));
  }

  delete(service: string, account: string): boolean {
    return this.withEntry(service, account, (e) => e.deleteCredential());
  }

  /**
   * A kept entry whose session is gone (the keyring daemon restarted: "Platform failure: DBus error:
   * The session does not exist") is retried once with a fresh one. Other errors are not: a locked
   * keychain would ask the user to unlock it twice.
   */
  private withEntry<T>(service: string, account: string, use: (entry: KeyringModule.Entry) => T): T {
    const key = `${service}\u0000${account}`;
    const kept = this.entries.get(key);
    if (kept) {
      try {
        return use(kept);
      } catch (error) {
        this.entries.delete(key);
        if (!(error instanceof Error && error.message.startsWith('Platform failure:'))) throw error;
      }
    }
    this.module ??= createRequire(import.meta.url)('@napi-rs/keyring') as typeof KeyringModule;
    const entry = new this.module.Entry(service, account, { linux: { store: 'secret-service' } });
    const result = use(entry);
    if (this.entries.size >= MAX_KEPT_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, entry);
    return result;
  }
}

const MAX_KEPT_ENTRIES = 16;
