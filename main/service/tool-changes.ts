/**
 * Tool definitions that changed since the user approved them (a "rug pull"), as prompts to review.
 * The proxies write what they see into the pin file and hold the tool; this reads that file, offers
 * each change once, and approves exactly the definition the prompt showed (its hash): a server that
 * listed yet another definition meanwhile gets nothing approved.
 */
import { createHash } from 'node:crypto';
import { unwatchFile, watchFile } from 'node:fs';
import type { AnswerResult, ToolChangePrompt } from '../../shared/approvals.js';
import type { ServerPins } from '../../shared/pins.js';
import type { Logger } from '../common/logger.js';
import { formatFileProblem } from '../store/atomic-file.js';
import { approveInstructionsChange, approveToolChange } from '../policy/tool-pins.js';
import type { PinStore } from '../store/pin-store.js';
import { revisionOf } from './prompt-revision.js';

export type ToolChangeApproved = { server: string; tool?: string; hash: string };

export class ToolChanges {
  private prompts: ToolChangePrompt[] = [];
  private readonly dismissed = new Set<string>();
  private readonly listeners = new Set<() => void>();
  private readonly firstSeen = new Map<string, number>();
  private readonly listener = () => this.reload();
  private watching = false;

  constructor(
    private readonly store: PinStore,
    private readonly log: Logger,
    private readonly now: () => number,
    /** After an approval is written: the audit event (the proxies watch the pin file themselves). */
    private readonly onApproved: (approved: ToolChangeApproved) => void,
  ) {}

  /** Reads the pin file now and again whenever it changes. */
  start(intervalMs = 400): void {
    this.reload();
    if (this.watching) return;
    this.watching = true;
    watchFile(this.store.file, { interval: intervalMs, persistent: false }, this.listener);
  }

  stop(): void {
    if (this.watching) unwatchFile(this.store.file, this.listener);
    this.watching = false;
  }

  onDidChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  list(): ToolChangePrompt[] {
    return this.prompts.filter((p) => !this.dismissed.has(p.id));
  }

  /** "Keep blocked": the prompt goes until the server lists yet another definition; the tool stays held. */
  dismiss(prompt: ToolChangePrompt): void {
    this.dismissed.add(prompt.id);
    this.fire();
  }

  approve(prompt: ToolChangePrompt): AnswerResult {
    const what = prompt.tool === undefined ? `the instructions of "${prompt.server}"` : `tool "${prompt.tool}" of "${prompt.server}"`;
    try {
      this.store.updateServerSync(prompt.server, (current) => {
        if (!current) throw new Stale(`server "${prompt.server}" has no pins any more`);
        const pending = prompt.tool === undefined ? current.pending.instructions?.new : current.pending.tools[prompt.tool]?.new;
        if (pending?.hash !== prompt.hash) throw new Stale(`${what} changed again since the prompt showed it`);
        return prompt.tool === undefined ? approveInstructionsChange(current) : approveToolChange(current, prompt.tool);
      });
    } catch (error) {
      return { ok: false, reason: `${error instanceof Error ? error.message : String(error)}; nothing approved` };
    }
    this.onApproved({ server: prompt.server, ...(prompt.tool !== undefined ? { tool: prompt.tool } : {}), hash: prompt.hash });
    this.reload();
    return { ok: true };
  }

  private reload(): void {
    const loaded = this.store.loadSync();
    if (loaded.state === 'corrupt') {
      // Every tool stays held (the proxies' rule); there is nothing to review until the file is repaired.
      for (const p of loaded.problems) this.log.log('error', `pin file ${formatFileProblem(p)}`);
      return this.replace([]);
    }
    const prompts: ToolChangePrompt[] = [];
    for (const [server, pins] of Object.entries(loaded.pins.servers)) prompts.push(...this.promptsOf(server, pins));
    this.replace(prompts);
  }

  private promptsOf(server: string, pins: ServerPins): ToolChangePrompt[] {
    const out: ToolChangePrompt[] = [];
    const instructions = pins.pending.instructions;
    if (instructions)
      out.push(this.prompt(server, undefined, { instructions: instructions.old.text }, { instructions: instructions.new.text }, instructions.new.hash));
    for (const [tool, change] of Object.entries(pins.pending.tools)) {
      // New tools are asked about call by call; removed ones have nothing to approve.
      if (change.old && change.new) out.push(this.prompt(server, tool, change.old.definition, change.new.definition, change.new.hash));
    }
    return out;
  }

  private prompt(server: string, tool: string | undefined, old: Record<string, unknown> | null, next: Record<string, unknown>, hash: string): ToolChangePrompt {
    const id = uuidOf(`${server}\0${tool ?? ''}\0${hash}`);
    const createdAt = this.firstSeen.get(id) ?? this.now();
    this.firstSeen.set(id, createdAt);
    const content = { kind: 'tool-change' as const, server, ...(tool !== undefined ? { tool } : {}), old, new: next, hash };
    return { id, revision: revisionOf(content), createdAt, ...content };
  }

  private replace(prompts: ToolChangePrompt[]): void {
    const same = prompts.length === this.prompts.length && prompts.every((p, i) => p.revision === this.prompts[i]?.revision);
    this.prompts = prompts;
    const live = new Set(prompts.map((p) => p.id));
    for (const id of this.firstSeen.keys()) if (!live.has(id)) this.firstSeen.delete(id);
    if (!same) this.fire();
  }

  private fire(): void {
    for (const listener of this.listeners) listener();
  }
}

class Stale extends Error {}

/** A stable id in UUID form (version 8, RFC 9562) for a change, so the same change keeps its prompt id. */
function uuidOf(text: string): string {
  const h = createHash('sha256').update(text).digest('hex');
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
