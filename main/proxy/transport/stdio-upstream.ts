import { spawn, type ChildProcess } from 'node:child_process';
import { watchGroup, type GroupWatchdog } from './group-watchdog.js';
import type { JsonObject } from '../json-rpc.js';
import { openServerOutput, type OutputReader, type ServerOutput } from './server-output.js';
import type { LaunchSpec } from '../../../shared/launch-spec.js';
import type { Upstream, UpstreamEvents, UpstreamExit } from './upstream.js';

/** How long the server gets after its stdin closes, then after SIGTERM, before the next step. */
const STDIN_GRACE_MS = 400;
const TERM_GRACE_MS = 1000;

/**
 * Variables of the guard's own that must never reach the real server (token, socket path); and,
 * when the proxy runs on the app's Electron runtime, the ELECTRON_RUN_AS_NODE its launcher set
 * (build/launcher), which would turn an Electron-based server into a bare Node process.
 */
export function serverEnvironment(
  parent: NodeJS.ProcessEnv,
  extra: Record<string, string> = {},
  onElectron = process.versions['electron'] !== undefined,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(parent)) {
    if (value === undefined || key.toUpperCase().startsWith('MCP_GUARD_')) continue;
    if (onElectron && key.toUpperCase() === 'ELECTRON_RUN_AS_NODE') continue;
    env[key] = value;
  }
  return { ...env, ...extra };
}

/**
 * A local MCP server as a child process speaking newline-delimited JSON on stdio. It runs in a
 * process group of its own, so ending it ends everything it started (npx → node → …). Its output
 * comes through an OutputReader (./server-output.ts), which may lend its chunks.
 */
export class StdioUpstream implements Upstream {
  private child: ChildProcess | undefined;
  private watchdog: GroupWatchdog | undefined;
  private reader: OutputReader | undefined;
  private launched: Promise<void> | undefined;
  private exited: Promise<void> = Promise.resolve();
  private gone = false;
  private events: UpstreamEvents | undefined;
  private exitBeforeStart: UpstreamExit | undefined;
  /** Lines sent before the server was spawned (its output pair takes a couple of milliseconds). */
  private early: string[] = [];
  /** The client is slow to read: so is the proxy from the server (kept for a reader not yet attached). */
  private paused = false;

  constructor(
    private readonly spec: Extract<LaunchSpec, { kind: 'stdio' }>,
    private readonly parentEnv: NodeJS.ProcessEnv,
    private readonly output: () => Promise<ServerOutput> = openServerOutput,
  ) {}

  /**
   * Starts the server. `mcp-guard run` calls this before it loads the rest of the proxy, so the
   * server boots meanwhile; what happens until `start` (output, an exit) waits for it.
   */
  launch(): Promise<void> {
    return (this.launched ??= this.output().then((output) => this.spawn(output)));
  }

  private spawn(output: ServerOutput): void {
    const { spec } = this;
    let child: ChildProcess;
    try {
      child = spawn(spec.command, spec.args, {
        cwd: spec.cwd,
        env: serverEnvironment(this.parentEnv, spec.env),
        stdio: ['pipe', output.stdio, 'inherit'],
        detached: process.platform !== 'win32',
        windowsHide: true,
      });
    } catch (error) {
      // Node throws (rather than emits) for some failures, e.g. a NUL byte in an argument.
      output.attach(undefined);
      this.exit(this.couldNotStart(error instanceof Error ? error.message : String(error)));
      return;
    }
    // However the proxy ends, the server's group does not outlive it.
    if (child.pid !== undefined) this.watchdog = watchGroup(child.pid);
    const reader = output.attach(child);
    this.reader = reader;
    this.child = child;
    let started = false;
    child.once('spawn', () => (started = true));
    this.exited = new Promise((resolve) => {
      child.once('error', (error: NodeJS.ErrnoException) => {
        if (started) return;
        const why = error.code === 'ENOENT' ? 'command not found' : error.code === 'EACCES' ? 'permission denied' : error.message;
        this.exit(this.couldNotStart(why));
        resolve();
      });
      child.once('close', (code, signal) => {
        // Every byte of its output is handed on before its exit is reported.
        void reader.ended.then(() => {
          const how = signal ? `was killed by ${signal}` : `exited with code ${code ?? 'unknown'}`;
          this.exit({ reason: `MCP server "${spec.name}" (${quote(spec.command)}) ${how}`, failedToStart: !started, code });
          resolve();
        });
      });
    });
    // A server that stops reading gives EPIPE; the exit that follows is what we report.
    child.stdin?.on('error', () => undefined);
    for (const line of this.early) child.stdin?.write(line);
    this.early = [];
    if (this.events) this.attach(this.events);
  }

  start(events: UpstreamEvents): void {
    void this.launch();
    this.events = events;
    if (this.child) this.attach(events);
    if (this.exitBeforeStart) events.onExit(this.exitBeforeStart);
  }

  private attach(events: UpstreamEvents): void {
    const reader = this.reader;
    reader?.start((chunk) => events.onData(chunk, reader.lendsChunks));
    if (!this.paused) reader?.resume();
    this.child?.stdin?.on('drain', () => events.onDrain());
  }

  private couldNotStart(why: string): UpstreamExit {
    return { reason: `could not start MCP server "${this.spec.name}": ${quote(this.spec.command)}: ${why}`, failedToStart: true };
  }

  private exit(exit: UpstreamExit): void {
    this.gone = true;
    if (this.events) this.events.onExit(exit);
    else this.exitBeforeStart ??= exit;
  }

  send(_message: JsonObject, line: string): boolean {
    if (this.gone) return true;
    if (!this.child) {
      this.early.push(line + '\n');
      return true;
    }
    const stdin = this.child.stdin;
    if (!stdin || stdin.destroyed) return true;
    return stdin.write(line + '\n');
  }

  pause(): void {
    this.paused = true;
    this.reader?.pause();
  }

  resume(): void {
    this.paused = false;
    this.reader?.resume();
  }

  /** Closes stdin, then SIGTERM, then SIGKILL to the whole group; resolves once the group is gone. */
  async close(): Promise<void> {
    await this.launched;
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
    this.watchdog?.release();
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
