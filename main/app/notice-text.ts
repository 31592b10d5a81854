import type { Prompt } from '../../shared/approvals.js';

/** What a system notification says: built from names only, never from a call's arguments. */
export interface Notice {
  readonly title: string;
  readonly body: string;
}

const NAME_LIMIT = 60;
const PROBLEM_LIMIT = 240;
/** C0 and C1 controls, zero-width characters and marks, bidi embeddings, overrides and isolates, BOM. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;

/**
 * A name for a notification. Tool and server names come from the MCP server or the client's config,
 * so they are fenced: no control, bidi-override or zero-width characters (which could make a name
 * read as something else), whitespace collapsed, and cut short so a long name cannot pose as the
 * rest of the sentence.
 */
export function noticeName(name: string, limit = NAME_LIMIT): string {
  const plain = name.replace(/\s+/g, ' ').replace(INVISIBLE, '').replace(/ {2,}/g, ' ').trim();
  if (plain === '') return '(unnamed)';
  return plain.length > limit ? `${plain.slice(0, limit - 1)}…` : plain;
}

function what(prompt: Prompt): string {
  if (prompt.kind === 'call') return `${noticeName(prompt.tool.name)} on ${noticeName(prompt.server.name)} is waiting for you`;
  const server = noticeName(prompt.server);
  if (prompt.tool === undefined) return `The instructions of ${server} changed; its tools are held until you review them`;
  return `${noticeName(prompt.tool)} on ${server} changed and is held until you review it`;
}

/** "MCP Guard" / "<tool> on <server> is waiting for you", for the prompts that just arrived (at least one). */
export function promptNotice(arrived: readonly Prompt[]): Notice {
  const [first, ...rest] = arrived;
  if (first === undefined) throw new Error('promptNotice: no prompt to announce');
  if (rest.length === 0) return { title: 'MCP Guard', body: what(first) };
  return { title: 'MCP Guard', body: `${arrived.length} approvals are waiting for you: ${what(first)}, and ${rest.length} more` };
}

/** The policy problems that just appeared (at least one); each already names its file and what is wrong. */
export function policyNotice(problems: readonly string[]): Notice {
  const [first, ...rest] = problems;
  if (first === undefined) throw new Error('policyNotice: no problem to announce');
  const more = rest.length === 0 ? '' : ` (and ${rest.length} more)`;
  return { title: 'MCP Guard: a policy file has a problem', body: `${noticeName(first, PROBLEM_LIMIT)}${more}` };
}
