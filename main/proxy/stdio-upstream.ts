import { spawn, type ChildProcess } from 'node:child_process';
import type { JsonObject } from './json-rpc.js';
import type { LaunchSpec, Upstream, UpstreamEvents, UpstreamExit } from './upstream.js';

/** How long the server gets after its stdin closes, then after SIGTERM, before the next step. */
const STDIN_GRACE_MS = 400;
const TERM_GRACE_MS = 1000;

/** Variables of the guard's own that must never reach the real server (token, socket path). */
export function serverEnvironment(parent: NodeJS.ProcessEnv, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(parent)) {
    if (value !== undefined && !key.toUpperCase().startsWith('MCP_GUARD_')) env[key] = value;
  }
  return { ...env, ...extra };
}

/**
 * A local MCP server as a child process speaking newline-delimited JSON on stdio. It runs in a
 * process group of its own, so ending it ends everything it started (npx → node → …).
 */
export class StdioUpstream implements Upstream {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private gone = false;
  private events: UpstreamEvents | undefined;
  private exitBeforeStart: UpstreamExit | undefined;

  constructor(
    private readonly spec: Extract<LaunchSpec, { kind: 'stdio' }>,
    private readonly parentEnv: NodeJS.ProcessEnv,
  ) {}

  /**
   * Starts the server. `mcp-guard run` calls this before it loads the rest of the proxy, so the
   * server boots meanwhile; what happens until `start` (output, an exit) waits for it.
   */
  launch(): void {
    if (this.child) return;
    const { spec } = this;
    const child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: serverEnvironment(this.parentEnv, spec.env),
      stdio: ['pipe', 'pipe', 'inherit'],
      detached: process.platform !== 'win32',
      windowsHide: true,
    });
    this.child = child;
    let started = false;
    child.once('spawn', () => (started = true));
    this.exited = new Promise((resolve) => {
      child.once('error', (error: NodeJS.ErrnoException) => {
        if (started) return;
        const why = error.code === 'ENOENT' ? 'command not found' : error.code === 'EACCES' ? 'permission denied' : error.message;
        this.exit({ reason: `could not start MCP server "${spec.name}": ${quote(spec.command)}: ${why}`, failedToStart: true });
        resolve();
      });
      child.once('close', (code, signal) => {
        const how = signal ? `was killed by ${signal}` : `exited with code ${code ?? 'unknown'}`;
        this.exit({ reason: `MCP server "${spec.name}" (${quote(spec.command)}) ${how}`, failedToStart: !started, code });
        resolve();
      });
    });
    // A server that stops reading gives EPIPE; the exit that follows is what we report.
    child.stdin?.on('error', () => undefined);
  }

  start(events: UpstreamEvents): void {
    this.launch();
    this.events = events;
    // Until now the server's output waited in the pipe (a stream without a 'data' listener does not flow).
    this.child?.stdout?.on('data', (chunk: Buffer) => events.onData(chunk));
    this.child?.stdin?.on('drain', () => events.onDrain());
    if (this.exitBeforeStart) events.onExit(this.exitBeforeStart);
  }

  private exit(exit: UpstreamExit): void {
    this.gone = true;
    if (this.events) this.events.onExit(exit);
    else this.exitBeforeStart ??= exit;
  }

  send(_message: JsonObject, line: string): boolean {
    const stdin = this.child?.stdin;
    if (!stdin || stdin.destroyed || this.gone) return true;
    return stdin.write(line + '\n');
  }

  pause(): void {
    this.child?.stdout?.pause();
  }

  resume(): void {
    this.child?.stdout?.resume();
  }

  /** Closes stdin, then SIGTERM, then SIGKILL to the whole group; resolves once the group is gone. */
  async close(): Promise<void> {
    const child = this.child;
    if (!child) return;
    // Never started (spawn failed): nothing to end, but let its exit be reported first.
    if (!child.pid) return this.exited;
    child.stdin?.end();
    if (!(await within(this.exited, STDIN_GRACE_MS))) {
      this.signalGroup(child.pid, 'SIGTERM');
      if (!(await within(this.exited, TERM_GRACE_MS))) this.signalGroup(child.pid, 'SIGKILL');
      await within(this.exited, TERM_GRACE_MS);
    }
    // The leader may be gone while children it started still hold the group.
    this.signalGroup(child.pid, 'SIGTERM');
    this.signalGroup(child.pid, 'SIGKILL');
  }

  private signalGroup(pid: number, signal: NodeJS.Signals): void {
    try {
      if (process.platform === 'win32') this.child?.kill(signal);
      else process.kill(-pid, signal);
    } catch {
      // ESRCH: nothing left in the group.
    }
  }
}

function within(promise: Promise<void>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    void promise.then(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

function quote(command: string): string {
  return JSON.stringify(command);
}
