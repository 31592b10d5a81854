/**
 * The proxy's decider over the real policy: allow and deny are decided here from the effective
 * policy and the tool pins (no round trip); `ask` goes to the service's approval broker, and
 * when the service is not there the call is denied (fail closed) with a message saying so.
 */
import type { ServerPins } from '../../shared/pins.js';
import type { Decision } from '../../shared/decision.js';
import type { Grant } from '../../shared/grant.js';
import { decisionOf, type CallInput, type PolicyEngine, type PinState } from '../policy/policy-engine.js';
import type { ServerIdentity } from '../policy/server-match.js';
import type { ToolAnnotations } from '../policy/risk-hints.js';
import { comparePins, pinInstructions } from '../policy/tool-pins.js';
import type { Decider, ListedTool, ListPage, ToolCall, Verdict } from './decider.js';
import type { ClientIdentity, HeldCall, HeldCallAnswer } from '../../shared/proxy-protocol.js';
import { isObject } from './json-rpc.js';

export interface PinBook {
  get(server: string): ServerPins | undefined;
  set(server: string, pins: ServerPins): void;
  /**
   * Before a listing is compared and written back: take up what changed on disk since (an approval
   * in the prompt), so the write does not put back the pins it replaced. Not on the per-call path.
   */
  refresh?(): void;
}

export interface Approver {
  readonly connected: boolean;
  /** Just started, not yet known whether the service is there. */
  readonly connecting: boolean;
  firstAttemptSettled(): Promise<void>;
  decide(call: HeldCall): Promise<HeldCallAnswer>;
}

export type PinChange = { new: string[]; changed: string[]; removed: string[]; instructionsChanged: boolean };

/**
 * One listing of the tools, across its pages. A first-use listing (no pins stored when its first
 * page came) adopts the new tools of its later pages as approved, like its first page's; but only
 * the client's own listing, only for the exact cursor its last page offered, within
 * ADOPT_WINDOW_MS of its first page, and only until its last page or until another listing starts
 * (the server's tools may have changed meanwhile).
 */
type Listing = { adopting: boolean; startedAt: number; next: string | undefined; names: Set<string>; hashes: Map<string, string> };

const ADOPT_WINDOW_MS = 60_000;
/** Stands for a tool listed twice in one listing with different definitions: no pin has this hash, so the tool is held. */
const CONFLICTING = 'conflicting definitions in one listing';

export type PolicyDeciderOptions = {
  server: ServerIdentity;
  /** The client session, when already known; the service issues it, and the link sets `sessionId` on each welcome. */
  sessionId?: string;
  projectDir: string | undefined;
  engine: () => PolicyEngine;
  pins: PinBook;
  approver: Approver | undefined;
  onPinChange: (change: PinChange) => void;
  /** A wrapped server: whether the user approved its identity (`defaults.newServers` applies until then). Absent: approved. */
  serverApproved?: () => boolean;
  /** A wrapped server's registry id: the prompt shows its identity and can approve it. */
  serverId?: string;
  /**
   * A wrapped server: grants count only from when its identity in force was approved (a grant
   * given to the server as it was before an identity change is void). Undefined: none count yet.
   */
  grantsSince?: () => number | undefined;
  now?: () => number;
};

export class PolicyDecider implements Decider {
  /** The grants the service holds for this proxy's calls (pushed by it; empty while it is away). */
  grants: readonly Grant[] = [];
  /** The client session the service issued (session grants name it); undefined until the first welcome. */
  sessionId: string | undefined;
  /** Hosts that calls let through in this session named, for the "host not seen before" hint. */
  private readonly knownHosts = new Set<string>();
  private listed = new Map<string, ListedTool>();
  /** Paginated listings in progress: the client's, and the guard's own re-checks. */
  private readonly listings = new Map<ListPage['listing'], Listing>();
  /** Pin hashes of the tools and instructions as the server last listed them. */
  private listedHashes = new Map<string, string>();
  private instructionsHash: string | undefined;
  private client: { of: ClientIdentity; input: CallInput['client'] } | undefined;
  private reusable = new ReusableDecisions();
  /** The approval state the reusable decisions were made under. */
  private approvedWhenReused: boolean | undefined;
  private readonly now: () => number;

  constructor(private readonly o: PolicyDeciderOptions) {
    this.now = o.now ?? Date.now;
    this.sessionId = o.sessionId;
  }

  /** The grants of the identity in force: for a wrapped server, those given since its approval (kept until either changes). */
  private grantsInForce(): readonly Grant[] {
    const since = this.o.grantsSince;
    if (!since) return this.grants;
    const at = since() ?? Infinity;
    if (this.sinceCache?.of !== this.grants || this.sinceCache.at !== at)
      this.sinceCache = { of: this.grants, at, grants: this.grants.filter((g) => g.createdAt >= at) };
    return this.sinceCache.grants;
  }

  private sinceCache: { of: readonly Grant[]; at: number; grants: readonly Grant[] } | undefined;

  decideCall(call: ToolCall): Verdict | Promise<Verdict> {
    const engine = this.o.engine();
    const client = this.clientOf(call.client);
    const pin = this.pinState(call.tool);
    const approved = this.o.serverApproved?.();
    if (approved !== this.approvedWhenReused) {
      this.reusable = new ReusableDecisions();
      this.approvedWhenReused = approved;
    }
    const reused = this.reusable.get(engine, client, pin, call.tool);
    if (reused) {
      if (reused.effect === 'allow') noteHosts(call.arguments, this.knownHosts);
      return reused;
    }
    // A client may call without listing first: the approved pin still says what the tool is.
    const tool = this.listed.get(call.tool) ?? this.o.pins.get(this.o.server.name)?.tools[call.tool]?.definition;
    const annotations = tool && isObject(tool['annotations']) ? (tool['annotations'] as ToolAnnotations) : undefined;
    // Built by assignment, not spreads: this runs for every call, mostly before V8 has optimised it.
    const input: CallInput = {
      server: this.o.server,
      tool: call.tool,
      arguments: call.arguments,
      client,
      grants: this.grantsInForce(),
      knownHosts: this.knownHosts,
      now: this.now(),
      hints: 'if-asked',
    };
    if (annotations) input.annotations = annotations;
    if (this.o.projectDir) input.projectDir = this.o.projectDir;
    if (pin) input.pin = pin;
    if (approved !== undefined) input.serverApproved = approved;
    const evaluation = engine.evaluate(input);
    const decision = decisionOf(evaluation);
    if (evaluation.reusable) this.reusable.keep(pin, call.tool, decision);
    if (decision.effect === 'allow') noteHosts(call.arguments, this.knownHosts);
    if (decision.effect !== 'ask' || call.continuation) return decision;
    const approver = this.o.approver;
    if (approver && !approver.connected && approver.connecting) {
      // A call right after start: wait (briefly) to learn whether the service is there.
      return approver.firstAttemptSettled().then(() => this.decideCall(call));
    }
    if (!approver?.connected) {
      return {
        ...decision,
        effect: 'deny',
        reason: `approval needed, and MCP Guard is not running to ask you (start the app or \`mcp-guard serve\`): ${decision.reason}`,
      };
    }
    return approver
      .decide({
        tool: call.tool,
        arguments: call.arguments,
        ...(typeof tool?.['description'] === 'string' ? { description: tool['description'] } : {}),
        ...(annotations ? { annotations } : {}),
        ...(this.o.serverId !== undefined ? { serverId: this.o.serverId } : {}),
        ...(evaluation.grantable === false ? { grantable: false as const } : {}),
        decision,
      })
      .then(
        (answer): Verdict => {
          if (answer.decision.effect === 'allow') noteHosts(call.arguments, this.knownHosts);
          return { ...answer.decision, ...(answer.approval ? { approval: answer.approval } : {}), asked: decision };
        },
        (error: unknown): Verdict => ({
          ...decision,
          effect: 'deny',
          reason: `approval needed, but ${error instanceof Error ? error.message : String(error)}: ${decision.reason}`,
        }),
      );
  }

  visibleTools(server: string, tools: ListedTool[], client: ClientIdentity, instructions: string | undefined, page: ListPage): ListedTool[] {
    const engine = this.o.engine();
    this.o.pins.refresh?.();
    const stored = this.o.pins.get(server);
    const now = this.now();
    const first = page.cursor === undefined;
    const listing = this.listingOf(page, stored === undefined, now);
    const adoptNew = !first && listing.adopting && page.cursor === listing.next && now - listing.startedAt <= ADOPT_WINDOW_MS;
    if ((!first && !adoptNew) || page.nextCursor === undefined) listing.adopting = false;
    listing.next = page.nextCursor;
    const comparison = comparePins(stored, tools, instructions, {
      newTools: engine.defaults.newTools.value,
      now,
      page: { adoptNew, earlierPages: listing.names, morePages: page.nextCursor !== undefined },
    });
    if (first) {
      this.listed = new Map();
      this.listedHashes = new Map();
    }
    for (const t of tools) {
      listing.names.add(t.name);
      let hash = comparison.pins.pending.tools[t.name]?.new?.hash ?? comparison.pins.tools[t.name]?.hash ?? '';
      const earlier = listing.hashes.get(t.name);
      if (earlier !== undefined && earlier !== hash) hash = CONFLICTING;
      listing.hashes.set(t.name, hash);
      this.listed.set(t.name, t);
      this.listedHashes.set(t.name, hash);
    }
    this.instructionsHash = pinInstructions(instructions).hash;
    const reported = comparison.new.length + comparison.changed.length + comparison.removed.length > 0 || comparison.instructionsChanged;
    if (comparison.firstUse || comparison.adopted.length + comparison.cleared.length > 0 || reported) this.o.pins.set(server, comparison.pins);
    if (!comparison.firstUse && reported) this.o.onPinChange(comparison);
    // A tool that a deny rule (of a tool or its server) matches is hidden as well as refused.
    return comparison.visible.filter((t) => {
      if (this.listedHashes.get(t.name) === CONFLICTING) return false;
      const e = engine.evaluate({ server: this.o.server, tool: t.name, arguments: undefined, client: this.clientOf(client), now, hints: 'if-asked' });
      return !(e.effect === 'deny' && e.matched.some((m) => m.decided && !m.monitored && (m.kind === 'tool' || m.kind === 'server')));
    });
  }

  /** The listing a page belongs to. A first page starts a new one and stops every other from adopting; a later page continues its own. */
  private listingOf(page: ListPage, noPinsYet: boolean, now: number): Listing {
    const known = this.listings.get(page.listing);
    if (known && page.cursor !== undefined) return known;
    if (page.cursor === undefined) for (const other of this.listings.values()) other.adopting = false;
    const adopting = page.cursor === undefined && page.listing === 'client' && noPinsYet;
    const listing: Listing = { adopting, startedAt: now, next: undefined, names: new Set(), hashes: new Map() };
    this.listings.set(page.listing, listing);
    return listing;
  }

  /**
   * The pin state of a tool, against the pins on disk now (so an approval takes effect at once):
   * by the definition this session last saw listed, else by what the stored pins say.
   */
  private pinState(tool: string): PinState | undefined {
    const stored = this.o.pins.get(this.o.server.name);
    if (!stored) return undefined;
    const instructionsChanged = this.instructionsHash !== undefined ? stored.instructions.hash !== this.instructionsHash : stored.pending.instructions !== null;
    if (instructionsChanged) return 'held';
    const seen = this.listedHashes.get(tool);
    const approved = stored.tools[tool];
    if (seen !== undefined) return approved?.hash === seen ? undefined : approved ? 'changed' : 'new';
    if (stored.pending.tools[tool]?.old) return 'changed';
    return approved ? undefined : 'new';
  }

  /** The client as the engine sees it, with this session; one object per identity, not per call. */
  private clientOf(client: ClientIdentity): CallInput['client'] {
    if (this.client?.of !== client || this.client.input.sessionId !== this.sessionId) {
      this.client = { of: client, input: { ...client, ...(this.sessionId !== undefined ? { sessionId: this.sessionId } : {}) } };
    }
    return this.client.input;
  }
}

/**
 * Decisions the engine marked reusable (see Evaluation.reusable), by pin state and tool, for the
 * engine and client they were made with: a repeated call skips evaluation. A new engine (policy
 * reloaded) or client identity starts afresh. Kept decisions are frozen, as every caller shares them.
 */
class ReusableDecisions {
  private static readonly MAX = 1024;
  private readonly byKey = new Map<string, Decision>();
  private engine: PolicyEngine | undefined;
  private client: CallInput['client'] | undefined;

  get(engine: PolicyEngine, client: CallInput['client'], pin: PinState | undefined, tool: string): Decision | undefined {
    if (engine !== this.engine || client !== this.client) {
      this.byKey.clear();
      this.engine = engine;
      this.client = client;
      return undefined;
    }
    return this.byKey.get(keyOf(pin, tool));
  }

  keep(pin: PinState | undefined, tool: string, decision: Decision): void {
    // Tool names come from the client: bound what it can make us hold.
    if (this.byKey.size >= ReusableDecisions.MAX) this.byKey.clear();
    Object.freeze(decision.hints);
    this.byKey.set(keyOf(pin, tool), Object.freeze(decision));
  }
}

function keyOf(pin: PinState | undefined, tool: string): string {
  return pin === undefined ? tool : `${pin}\0${tool}`;
}

const URL_START = /^(?:https?|wss?|ftp):\/\//i;
const MAX_HOSTS = 10_000;

/** Adds the hosts of URL-valued strings in the arguments (bounded walk) to `hosts`. */
function noteHosts(value: unknown, hosts: Set<string>, depth = 0): void {
  if (depth > 6 || hosts.size >= MAX_HOSTS) return;
  if (typeof value === 'string') {
    if (!URL_START.test(value)) return;
    try {
      hosts.add(new URL(value).hostname.toLowerCase());
    } catch {
      // not a URL after all
    }
  } else if (Array.isArray(value)) {
    for (const item of value.slice(0, 100)) noteHosts(item, hosts, depth + 1);
  } else if (isObject(value)) {
    for (const item of Object.values(value).slice(0, 100)) noteHosts(item, hosts, depth + 1);
  }
}
