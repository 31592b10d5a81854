import type { InstructionsPin, ServerPins, ToolDefinition, ToolPin } from '../../shared/pins.js';
import { canonicalJson, sha256Hex, type HashFn } from '../common/canonical-json.js';
import type { PinState } from './policy-engine.js';

/** The fields of a listed tool that a pin covers; anything else the server sends is not pinned. */
export const PINNED_FIELDS = ['name', 'title', 'description', 'inputSchema', 'outputSchema', 'annotations'] as const;

export function toolDefinition(tool: { name: string } & Record<string, unknown>): ToolDefinition {
  const out: ToolDefinition = {};
  for (const field of PINNED_FIELDS) if (tool[field] !== undefined) out[field] = tool[field];
  return out;
}

/** SHA-256 over the canonical JSON (sorted keys) of the pinned fields. */
export function pinTool(tool: { name: string } & Record<string, unknown>, hash: HashFn = sha256Hex): ToolPin {
  const definition = toolDefinition(tool);
  return { hash: hash(canonicalJson(definition)), definition };
}

export function pinInstructions(instructions: string | undefined, hash: HashFn = sha256Hex): InstructionsPin {
  return { hash: hash(canonicalJson(instructions ?? null)), text: instructions ?? null };
}

export type PinComparison<T> = {
  /** No pins were stored: this list was recorded as approved (trust on first use). */
  firstUse: boolean;
  /** Tools first seen on a later page of a first-use listing: recorded as approved like the first page's. */
  adopted: string[];
  /** Tools whose pending change was withdrawn: the server lists the approved definition again. */
  cleared: string[];
  new: string[];
  changed: string[];
  removed: string[];
  unchanged: string[];
  instructionsChanged: boolean;
  /** The tools the client may see: not changed, not held, new ones only when `newTools` is `ask`. */
  visible: T[];
  /** Pin state per listed tool that is not plainly approved, for `CallInput.pin`. */
  states: Map<string, PinState>;
  /** The pins to store: approved pins kept, changes recorded as pending with old and new definitions. */
  pins: ServerPins;
};

/** Where a page sits in a paginated `tools/list`; a listing without a cursor is one complete page. */
export type PageOfListing = {
  /** This page continues a first-use listing: its new tools are recorded as approved too. */
  adoptNew: boolean;
  /** Tools listed on the earlier pages of this listing. */
  earlierPages: ReadonlySet<string>;
  /** More pages follow: a stored tool missing from this page may be on one of them, so none counts as removed yet. */
  morePages: boolean;
};

/**
 * Compares a server's stored pins with a new `tools/list` (or one page of it). Changed tools are
 * held (hidden, calls denied) until approved; changed instructions hold every tool; new tools
 * follow `newTools`.
 */
export function comparePins<T extends { name: string } & Record<string, unknown>>(
  stored: ServerPins | undefined,
  tools: readonly T[],
  instructions: string | undefined,
  options: { newTools: 'hide' | 'ask'; now: number; hash?: HashFn; page?: PageOfListing },
): PinComparison<T> {
  const page = options.page;
  const hash = options.hash ?? sha256Hex;
  const instructionsPin = pinInstructions(instructions, hash);
  const result: PinComparison<T> = {
    firstUse: stored === undefined,
    adopted: [],
    cleared: [],
    new: [],
    changed: [],
    removed: [],
    unchanged: [],
    instructionsChanged: false,
    visible: [],
    states: new Map(),
    pins: stored ? structuredClone(stored) : { tools: {}, instructions: instructionsPin, pending: { tools: {}, instructions: null } },
  };
  const pins = result.pins;
  if (stored && stored.instructions.hash !== instructionsPin.hash) {
    result.instructionsChanged = true;
    const seenAt = stored.pending.instructions?.new.hash === instructionsPin.hash ? stored.pending.instructions.seenAt : options.now;
    pins.pending.instructions = { old: stored.instructions, new: instructionsPin, seenAt };
  } else {
    pins.pending.instructions = null;
  }
  const listed = new Set<string>();
  for (const tool of tools) {
    listed.add(tool.name);
    const pin = pinTool(tool, hash);
    const old = stored ? stored.tools[tool.name] : undefined;
    if (!stored) {
      pins.tools[tool.name] = pin;
      result.unchanged.push(tool.name);
    } else if (page?.adoptNew && !result.instructionsChanged && !old && !stored.pending.tools[tool.name]) {
      pins.tools[tool.name] = pin;
      result.adopted.push(tool.name);
    } else if (old?.hash === pin.hash) {
      result.unchanged.push(tool.name);
      if (pins.pending.tools[tool.name]) result.cleared.push(tool.name);
      delete pins.pending.tools[tool.name];
    } else {
      const previous = stored.pending.tools[tool.name];
      const seenAt = previous?.new?.hash === pin.hash ? previous.seenAt : options.now;
      pins.pending.tools[tool.name] = { old: old ?? null, new: pin, seenAt };
      (old ? result.changed : result.new).push(tool.name);
      result.states.set(tool.name, old ? 'changed' : 'new');
    }
  }
  if (!page?.morePages) {
    for (const name of Object.keys(stored?.tools ?? {})) if (!listed.has(name) && !page?.earlierPages.has(name)) result.removed.push(name);
  }
  for (const tool of tools) {
    if (result.instructionsChanged) {
      result.states.set(tool.name, 'held');
      continue;
    }
    const state = result.states.get(tool.name);
    if (state === undefined || (state === 'new' && options.newTools === 'ask')) result.visible.push(tool);
  }
  return result;
}

/** Approves a pending change of one tool: its new definition becomes the pin (a removal drops it). */
export function approveToolChange(pins: ServerPins, tool: string): ServerPins {
  const pending = pins.pending.tools[tool];
  if (!pending) throw new Error(`no pending change for tool "${tool}"`);
  const next = structuredClone(pins);
  delete next.pending.tools[tool];
  if (pending.new) next.tools[tool] = pending.new;
  else delete next.tools[tool];
  return next;
}

/** Approves changed server instructions. */
export function approveInstructionsChange(pins: ServerPins): ServerPins {
  const pending = pins.pending.instructions;
  if (!pending) throw new Error('no pending change of the server instructions');
  const next = structuredClone(pins);
  next.instructions = pending.new;
  next.pending.instructions = null;
  return next;
}
