/**
 * How the proxy reads a stdio server's output. Through the stdio pipe Node makes for a child
 * (on Unix a socket pair too), Node allocates a fresh 64 KiB Buffer for every read, and V8 frees
 * those only when it collects garbage: a 50 MB result is ~800 allocations and a collection every
 * megabyte. So on Linux and macOS the proxy makes the socket pair itself and reads its end into
 * one buffer it reuses (`net.connect`'s `onread`). The chunks handed on are then lent: valid
 * only until the handler returns; whoever keeps one copies it.
 *
 * Node has no socketpair(), so the pair is made by a listener in a fresh 0700 directory that
 * takes one connection and is closed before the server starts (the directory goes right after);
 * only this user (who could as well attach a debugger to the proxy) could connect to it. Where
 * that cannot be made (Windows; no writable temp directory; a temp path too long for a socket),
 * the server's stdout is Node's own pipe.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmdirSync, rmSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const READ_BYTES = 64 * 1024;
/** A pair that is not made within this falls back to a pipe (it normally takes ~5 ms). */
const PAIR_TIMEOUT_MS = 1000;
/** Longer socket paths are cut short by the OS (104 bytes on macOS, 108 on Linux), outside the private directory. */
const MAX_SOCKET_PATH_BYTES = 100;

export interface OutputReader {
  /** Whether the chunks it hands on are lent (see above). */
  readonly lendsChunks: boolean;
  /** Where the server's bytes go, in order, once `resume` is called. */
  start(onData: (chunk: Buffer) => void): void;
  /** Stops reading (a chunk already read is still handed on). */
  pause(): void;
  resume(): void;
  /** Resolves once the output has ended (or failed) and every byte has been handed on. */
  readonly ended: Promise<void>;
}

export type ServerOutput = {
  /** What to give the child as its stdout. */
  stdio: Socket | 'pipe';
  /** Once spawn has returned (undefined: it threw): the reader of the child's output. Closes the parent's copy of the child's end. */
  attach(child: ChildProcess | undefined): OutputReader;
};

export async function openServerOutput(): Promise<ServerOutput> {
  if (process.platform === 'win32') return pipeOutput();
  try {
    return await socketOutput();
  } catch {
    return pipeOutput();
  }
}

export function pipeOutput(): ServerOutput {
  return { stdio: 'pipe', attach: (child) => new PipeReader(child) };
}

async function socketOutput(): Promise<ServerOutput> {
  const dir = mkdtempSync(join(tmpdir(), 'mcp-guard-'));
  const path = join(dir, 'out');
  const listener = createServer({ pauseOnConnect: true });
  let reader: SocketReader | undefined;
  try {
    if (Buffer.byteLength(path) > MAX_SOCKET_PATH_BYTES) throw new Error(`socket path too long: ${path}`);
    let taken: Socket | undefined;
    const accepted = new Promise<Socket>((resolve, reject) => {
      listener.on('connection', (socket: Socket) => {
        // The first is ours; a second is no one's, and one after a timeout is not needed.
        if (listener.listening && !taken) resolve((taken = socket));
        else socket.destroy();
      });
      listener.on('error', reject);
    });
    listener.listen(path);
    reader = new SocketReader(path);
    const [theirs] = await withTimeout(Promise.all([accepted, reader.connected]), PAIR_TIMEOUT_MS);
    // Takes no more connections; removes the socket's name (the directory goes once the server is spawned).
    listener.close();
    const ours = reader;
    return {
      stdio: theirs,
      attach: (child) => {
        // The child holds its own copy now; ours must go, or the output would never end.
        theirs.destroy();
        if (!child) ours.destroy();
        removeSync(dir);
        return ours;
      },
    };
  } catch (error) {
    listener.close();
    reader?.destroy();
    removeSync(dir);
    throw error;
  }
}

function removeSync(dir: string): void {
  try {
    // Once the listener is closed its socket's name is gone and the directory is empty: rmdir is
    // one system call, where a recursive rm loads a module and walks the tree (~2 ms at start-up).
    rmdirSync(dir);
  } catch {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // A leftover 0700 directory in the temp directory harms no one.
    }
  }
}

/** Our end of the pair: read into one reused buffer, paused until `resume`. */
class SocketReader implements OutputReader {
  readonly lendsChunks = true;
  readonly ended: Promise<void>;
  readonly connected: Promise<void>;
  private readonly socket: Socket;
  private onData: (chunk: Buffer) => void = () => undefined;
  private paused = true;

  constructor(path: string) {
    const buffer = Buffer.allocUnsafe(READ_BYTES);
    this.socket = connect({
      path,
      onread: {
        buffer,
        callback: (bytes: number) => {
          this.onData(buffer.subarray(0, bytes));
          // Returning false stops reading: whatever restarted it (Node's stream machinery can, once), a pause holds.
          return !this.paused;
        },
      },
    });
    this.socket.pause();
    this.connected = new Promise((resolve, reject) => {
      this.socket.once('connect', resolve);
      this.socket.once('error', reject);
    });
    this.ended = new Promise((resolve) => this.socket.once('close', () => resolve()));
    // A reset from the server's side ends its output as a close does; its exit says why.
    this.socket.on('error', () => undefined);
  }

  start(onData: (chunk: Buffer) => void): void {
    this.onData = onData;
  }

  pause(): void {
    this.paused = true;
    this.socket.pause();
  }

  resume(): void {
    this.paused = false;
    this.socket.resume();
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/** The fallback: the child's stdout as Node reads it (each chunk a fresh Buffer). */
class PipeReader implements OutputReader {
  readonly lendsChunks = false;
  readonly ended: Promise<void>;

  constructor(private readonly child: ChildProcess | undefined) {
    this.ended = new Promise((resolve) => {
      const stdout = child?.stdout;
      if (!stdout) return resolve();
      stdout.once('close', () => resolve());
      stdout.on('error', () => undefined);
    });
  }

  start(onData: (chunk: Buffer) => void): void {
    // Until now the output waited in the pipe (a stream without a 'data' listener does not
    // flow); paused first, the listener does not set it flowing either.
    this.child?.stdout?.pause();
    this.child?.stdout?.on('data', onData);
  }

  pause(): void {
    this.child?.stdout?.pause();
  }

  resume(): void {
    this.child?.stdout?.resume();
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    promise.then(
      (value) => (clearTimeout(timer), resolve(value)),
      (error: unknown) => (clearTimeout(timer), reject(error instanceof Error ? error : new Error(String(error)))),
    );
  });
}
