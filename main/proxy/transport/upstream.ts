import type { JsonObject } from '../json-rpc.js';

export type UpstreamExit = {
  /** Said to the user and to every pending request, e.g. `MCP server "memory" exited with code 1`. */
  reason: string;
  /** True when the server never came up (command not found, refused connection). */
  failedToStart: boolean;
  /** A stdio server's exit code (null when a signal ended it). */
  code?: number | null;
};

export interface UpstreamEvents {
  /**
   * Newline-delimited JSON bytes from the server, in order; chunks need not end on a newline.
   * `lent`: the chunk is valid only during the call (the stdio reader may reuse its buffer).
   */
  onData(chunk: Buffer, lent?: boolean): void;
  /** The server is gone; no more data will arrive. */
  onExit(exit: UpstreamExit): void;
  /** The server can take more input after `send` returned false. */
  onDrain(): void;
}

/** The real MCP server, behind a transport. Messages in, raw NDJSON bytes out. */
export interface Upstream {
  start(events: UpstreamEvents): void;
  /** Sends one message; `line` is its serialisation without the newline. False: wait for onDrain. */
  send(message: JsonObject, line: string): boolean;
  /** Flow control of server→client data while the client is slow to read. */
  pause(): void;
  resume(): void;
  /** Ends the server (stdio: its whole process group; HTTP: DELETE the session). Resolves once it is gone. */
  close(): Promise<void>;
}
