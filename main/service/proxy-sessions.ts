/**
 * The client sessions of proxies, issued by the service (never named by a peer). Session grants
 * ("allow for this session") are keyed by the session id, so whoever could pick a session id could
 * end, or take over, another proxy's grants.
 *
 * Why this is sound:
 * - The id is public (the status shows it) and only names the session. What lets a proxy take its
 *   session up again is a separate secret, 32 random bytes, sent only in the `welcome` to the
 *   connection that holds the session and never written anywhere; the service keeps only its
 *   SHA-256 (a lookup by hash leaks nothing usable about the secret).
 * - A session is held by at most one live connection: a resume while one holds it is refused, so a
 *   live proxy is never displaced.
 * - A resume is taken only from the pid and server name the session was issued to (checked against
 *   /proc like every hello), and each resume spends the secret and issues a new one.
 * - A resume that names no session this service holds (it restarted, or the secret is spent) gets a
 *   new session: there is nothing to take over, and session grants ended with the old one.
 * - A session ends when its proxy says `bye`, or RESUME_WINDOW_MS after its connection dropped
 *   without the proxy coming back; only then do its grants end. A peer can end no session but its own.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { systemClock, type Clock } from './approval-broker.js';

/** How long a dropped proxy's session (and its grants) waits for the proxy to reconnect (it retries within 2 s). */
export const RESUME_WINDOW_MS = 30_000;

export type SessionClaim = { pid: number; server: string | undefined; resume: string | undefined };
export type OpenedSession = { id: string; resume: string } | { refused: string };

type Session = { id: string; secretHash: string; pid: number; server: string | undefined; held: boolean; timer: unknown };

export class ProxySessions {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly ended: (id: string) => void,
    private readonly clock: Clock = systemClock,
    private readonly windowMs = RESUME_WINDOW_MS,
  ) {}

  /** The session for a proxy whose hello passed the token and pid checks: resumed, new, or refused. */
  open(claim: SessionClaim): OpenedSession {
    const hash = claim.resume === undefined ? undefined : sha256(claim.resume);
    const known = hash === undefined ? undefined : [...this.sessions.values()].find((s) => s.secretHash === hash);
    if (!known) return this.issue(claim);
    if (known.held) return { refused: 'that session is held by a live connection; a session has one proxy at a time' };
    if (known.pid !== claim.pid || known.server !== claim.server) return { refused: 'that session was issued to another proxy (process or server differs)' };
    this.clock.clearTimeout(known.timer);
    known.held = true;
    return { id: known.id, resume: this.rotate(known) };
  }

  /** The connection holding the session closed: the session waits for its proxy to come back. */
  release(id: string): void {
    const session = this.sessions.get(id);
    if (!session) return;
    session.held = false;
    session.timer = this.clock.setTimeout(() => this.end(id), this.windowMs);
  }

  /** The session is over (its proxy said bye, or did not come back in time): its grants end. */
  end(id: string): void {
    const session = this.sessions.get(id);
    if (!session) return;
    this.clock.clearTimeout(session.timer);
    this.sessions.delete(id);
    this.ended(id);
  }

  /** The service stops: forget every session without ending grants one by one (session grants live only in memory). */
  close(): void {
    for (const s of this.sessions.values()) this.clock.clearTimeout(s.timer);
    this.sessions.clear();
  }

  private issue(claim: SessionClaim): { id: string; resume: string } {
    const session: Session = { id: randomUUID(), secretHash: '', pid: claim.pid, server: claim.server, held: true, timer: undefined };
    this.sessions.set(session.id, session);
    return { id: session.id, resume: this.rotate(session) };
  }

  private rotate(session: Session): string {
    const secret = randomBytes(32).toString('base64url');
    session.secretHash = sha256(secret);
    return secret;
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
