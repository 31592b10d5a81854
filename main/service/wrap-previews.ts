/**
 * Wrap and unwrap from the UI, in two steps: a preview (the Wrapper's dry run: the diff of every
 * file that would change, each secret value shown as a marker) kept here under a random hash, and
 * an apply that names that hash. Apply performs exactly what was shown: it is refused when any
 * file differs from what the preview read, or when a dry run now would show another diff; a hash
 * this service did not hand out, or one used or expired, applies nothing. One use per preview.
 */
import { createHash, randomBytes } from 'node:crypto';
import { DIFF_SECRET_MARKER, type DiffLine, type WrapAction, type WrapApplied, type WrapNote, type WrapPreview } from '../../shared/servers-page.js';
import { SecretScrubber, SECRET_MARKER } from '../audit/redaction.js';
import type { Wrapper, WrapResult, WrapSelection } from '../clients/wrapper.js';

export type WrapPreviewsDeps = {
  /** The wrapper for an action, or why this service cannot do it. */
  wrapper: (action: WrapAction) => Wrapper | { refused: string };
  /** A file's text now (undefined: gone). */
  readText: (path: string) => string | undefined;
  now: () => number;
};

type Stored = { action: WrapAction; selection: WrapSelection; files: { file: string; sha256: string | undefined }[]; diffs: string; at: number };

/** How long a preview can be applied, and how many are kept (older ones are forgotten). */
export const PREVIEW_TTL_MS = 30 * 60_000;
const MAX_PREVIEWS = 32;
const MAX_LINES = 50_000;

export class WrapPreviews {
  private readonly previews = new Map<string, Stored>();
  private readonly scrubber = new SecretScrubber();

  constructor(private readonly d: WrapPreviewsDeps) {}

  preview(action: WrapAction, selection: Omit<WrapSelection, 'dryRun'>): WrapPreview {
    const wrapper = this.d.wrapper(action);
    if ('refused' in wrapper) return { ok: false, reason: wrapper.refused };
    const sel: WrapSelection = { ...selection, dryRun: true };
    const result = run(wrapper, action, sel);
    if (result.errors.length > 0 && result.diffs.length === 0) return { ok: false, reason: this.notes(result.errors).map(noteText).join('; ').slice(0, 8000) };
    const files = result.diffs.map((d) => ({ file: d.file, lines: this.lines(d.diff) }));
    const count = files.reduce((n, f) => n + f.lines.length, 0);
    if (count > MAX_LINES)
      return {
        ok: false,
        reason: `the diff is ${count} lines, too long to show here; run "mcp-guard ${action} --dry-run" in a terminal to read it, then ${action} there`,
      };
    // A file that fails is left as it is (apply touches only the files shown); say so beside the diff.
    const failed = result.errors.map((e) => ({ ...e, message: `not changed: ${e.message}` }));
    const skipped = this.notes([...failed, ...result.skipped.filter((s) => !(action === 'wrap' && s.message.startsWith('already wrapped')))]);
    const masked = files.reduce(
      (n, f) => n + f.lines.reduce((m, l) => m + l.text.split(DIFF_SECRET_MARKER).length - 1 + (l.text.split(SECRET_MARKER).length - 1), 0),
      0,
    );
    if (files.length === 0) return { ok: true, action, files: [], masked: 0, skipped };
    const hash = createHash('sha256').update(randomBytes(32)).digest('hex');
    this.remember(hash, {
      action,
      selection: sel,
      files: result.diffs.map((d) => ({ file: d.file, sha256: this.sha256Of(d.file) })),
      diffs: diffsText(result),
      at: this.d.now(),
    });
    return { ok: true, action, hash, files, masked, skipped };
  }

  apply(hash: string): WrapApplied {
    const stored = this.previews.get(hash);
    if (!stored || this.d.now() - stored.at > PREVIEW_TTL_MS) {
      this.previews.delete(hash);
      return {
        ok: false,
        reason: 'this is not a diff MCP Guard showed you, or it was applied or expired already; nothing was changed. Look at the diff again',
      };
    }
    this.previews.delete(hash);
    const wrapper = this.d.wrapper(stored.action);
    if ('refused' in wrapper) return { ok: false, reason: wrapper.refused };
    for (const f of stored.files) {
      if (this.sha256Of(f.file) !== f.sha256) return { ok: false, reason: `${f.file} changed since you saw the diff; nothing was changed. Look again` };
    }
    if (diffsText(run(wrapper, stored.action, stored.selection)) !== stored.diffs)
      return { ok: false, reason: 'the files or the registry changed since you saw the diff; nothing was changed. Look again' };
    const files = stored.files.map((f) => f.file);
    const result = run(wrapper, stored.action, { ...stored.selection, dryRun: false, ...(stored.action === 'wrap' ? { files } : {}) });
    return { ok: true, changed: result.changed.slice(0, 1000), skipped: this.notes(result.skipped), errors: this.notes(result.errors) };
  }

  private remember(hash: string, stored: Stored): void {
    const now = this.d.now();
    for (const [k, v] of this.previews) if (now - v.at > PREVIEW_TTL_MS) this.previews.delete(k);
    while (this.previews.size >= MAX_PREVIEWS) this.previews.delete(this.previews.keys().next().value!);
    this.previews.set(hash, stored);
  }

  private sha256Of(file: string): string | undefined {
    const text = this.d.readText(file);
    return text === undefined ? undefined : createHash('sha256').update(text).digest('hex');
  }

  /** configDiff's text (`--- a`, `+++ b`, `@@ line N @@`, then "  ", "- ", "+ " lines) as lines, scrubbed once more. */
  private lines(diff: string): DiffLine[] {
    return diff.split('\n').map((line, i): DiffLine => {
      if (i < 2) return { kind: 'header', text: this.scrubber.scrubString(line) };
      if (line.startsWith('@@')) return { kind: 'hunk', text: line };
      const kind = line.startsWith('+ ') ? 'added' : line.startsWith('- ') ? 'removed' : 'context';
      // Around the wrapper's own markers, so a marker is not itself taken for a value and masked again.
      const text = line
        .slice(2)
        .split(DIFF_SECRET_MARKER)
        .map((part) => this.scrubber.scrubString(part))
        .join(DIFF_SECRET_MARKER);
      return { kind, text };
    });
  }

  private notes(notes: readonly { file: string; server?: string; message: string }[]): WrapNote[] {
    return notes.slice(0, 500).map((n) => ({
      file: this.scrubber.scrubString(n.file).slice(0, 8000),
      ...(n.server !== undefined ? { server: this.scrubber.scrubString(n.server).slice(0, 300) || '?' } : {}),
      message: this.scrubber.scrubString(n.message).slice(0, 8000),
    }));
  }
}

function run(wrapper: Wrapper, action: WrapAction, sel: WrapSelection): WrapResult {
  return action === 'wrap' ? wrapper.wrap(sel) : wrapper.unwrap(sel);
}

function diffsText(result: WrapResult): string {
  return JSON.stringify(result.diffs.map((d) => [d.file, d.diff]));
}

function noteText(n: WrapNote): string {
  return n.message.startsWith(n.file) ? n.message : `${n.file}${n.server ? ` (${n.server})` : ''}: ${n.message}`;
}
