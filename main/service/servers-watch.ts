/**
 * Tells the Servers page when what it lists may have changed: a client's config file, the server
 * registry, the approvals, the pins, or a policy file. It compares a fingerprint of those files
 * (size, mtime, inode) on a timer, only while someone listens; the client files are discovered
 * again every few ticks (discovery reads ~/.claude.json, which can be large).
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ServersChanged } from '../../shared/servers-page.js';

export type ServersWatchDeps = {
  /** The client config files (existing or not). */
  discover: () => readonly string[];
  /** The guard's own files the list reads: approvals, pins, policy files. */
  files: readonly string[];
  registryDir: string;
  now: () => number;
  intervalMs?: number;
  onError?: (error: unknown) => void;
};

const REDISCOVER_EVERY = 10;

export class ServersWatch {
  private readonly listeners = new Set<(event: ServersChanged) => void>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private clientFiles: readonly string[] = [];
  private ticks = 0;
  private last = '';

  constructor(private readonly d: ServersWatchDeps) {}

  onDidChange(listener: (event: ServersChanged) => void): () => void {
    this.listeners.add(listener);
    if (this.timer === undefined) this.start();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.stop();
    };
  }

  private start(): void {
    this.clientFiles = this.discover();
    this.last = this.fingerprint();
    this.timer = setInterval(() => this.poll(), this.d.intervalMs ?? 1500);
    this.timer.unref();
  }

  private stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private poll(): void {
    try {
      if (++this.ticks % REDISCOVER_EVERY === 0) this.clientFiles = this.discover();
      const now = this.fingerprint();
      if (now === this.last) return;
      this.last = now;
      const event = { at: this.d.now() };
      for (const listener of [...this.listeners]) listener(event);
    } catch (error) {
      this.d.onError?.(error);
    }
  }

  private discover(): readonly string[] {
    try {
      return [...new Set(this.d.discover())].sort();
    } catch (error) {
      this.d.onError?.(error);
      return this.clientFiles;
    }
  }

  private fingerprint(): string {
    const parts = [...this.clientFiles, ...this.d.files].map((f) => `${f}=${stamp(f)}`);
    let registry: string[] = [];
    try {
      registry = readdirSync(this.d.registryDir, { recursive: true, encoding: 'utf8' }).sort();
    } catch {
      registry = [];
    }
    for (const entry of registry) parts.push(`${entry}=${stamp(join(this.d.registryDir, entry))}`);
    return parts.join('\n');
  }
}

function stamp(path: string): string {
  try {
    const s = statSync(path);
    return `${s.size}:${s.mtimeMs}:${s.ino}`;
  } catch {
    return '-';
  }
}
