/**
 * How events enter the audit log from the service: proxies' events (a replay after a reconnect, or
 * an orphan spool, may repeat ones already recorded: their ids drop them), and the service's own
 * facts (policy and grant changes). Every event is stamped with this device and OS user here.
 */
import type { AuditEventInput } from '../../shared/audit.js';
import type { ProxyAuditEvent } from '../../shared/proxy-protocol.js';
import type { AuditLog } from './audit-log.js';
import { scanEvents } from './activity-scan.js';

/** How many recent event ids are remembered to drop replays of events already recorded. */
const RECENT_IDS = 200_000;
/** How far back the ids of recorded events are read at start. */
const RECENT_WINDOW_MS = 7 * 24 * 3600_000;

/** Where a proxy's events came from, to fill in what the proxy could not know. */
export type EventSource = { pid: number; cwd?: string | undefined };

/** An event of the service's own: everything but the stamp. */
export type ServiceEvent = Omit<AuditEventInput, 'deviceId' | 'osUser'>;

export class AuditIntake {
  private readonly recentIds = new Set<string>();

  constructor(
    private readonly audit: AuditLog,
    private readonly stamp: { deviceId: string; osUser: string },
  ) {}

  /**
   * Reads the ids of the last week's events, so replays of them are dropped. Through one reused read
   * buffer (main/audit/activity-scan.ts), so a large log leaves no megabytes of buffers behind.
   */
  async rememberRecent(now = Date.now()): Promise<void> {
    const since = now - RECENT_WINDOW_MS;
    await scanEvents(this.audit.dir, undefined, (event) => {
      if (Date.parse(event.time) >= since) this.remember(event.id);
    });
  }

  /** Appends a proxy's events, dropping ones already recorded; resolves when they are durable. */
  async record(events: readonly ProxyAuditEvent[], from?: EventSource): Promise<void> {
    const fresh = events.filter((e) => !this.recentIds.has(e.id));
    await Promise.all(
      fresh.map((e) => {
        this.remember(e.id);
        const input: AuditEventInput = { ...e, ...this.stamp };
        if (from && input.client)
          input.client = { ...input.client, pid: input.client.pid ?? from.pid, ...(from.cwd && !input.client.cwd ? { cwd: from.cwd } : {}) };
        return this.audit.append(input);
      }),
    );
  }

  /** Appends an event of the service's own. */
  async note(event: ServiceEvent): Promise<void> {
    await this.audit.append({ ...event, ...this.stamp });
  }

  private remember(id: string): void {
    this.recentIds.add(id);
    if (this.recentIds.size > RECENT_IDS) this.recentIds.delete(this.recentIds.values().next().value!);
  }
}
