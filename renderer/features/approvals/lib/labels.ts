import type { CallPrompt, PromptServer } from '../../../../shared/approvals.js';
import type { RiskHint } from '../../../../shared/decision.js';

/** The words a server hint's badge shows. */
export const serverHintLabel: Record<PromptServer['hints'][number]['kind'], string> = {
  'new-server': 'new server',
  'changed-server': 'changed since approval',
  'unpinned-package': 'unpinned package',
  'identity-risk': 'identity risk',
  'not-wrapped': 'not wrapped',
};

/** The words a risk hint shows. */
export const riskHintLabel: Record<RiskHint['kind'], string> = {
  'read-only': 'read-only',
  destructive: 'destructive',
  idempotent: 'idempotent',
  'open-world': 'open world',
  'path-outside-project': 'path outside the project',
  'new-host': 'new host',
  'credential-in-arguments': 'credential in arguments',
  'tool-changed': 'tool changed',
  'tool-new': 'new tool',
};

/** Risk hints that call for a second look, shown in the danger style (destructive) or the warning style. */
export function riskTone(kind: RiskHint['kind']): 'danger' | 'warning' | 'info' {
  if (kind === 'destructive') return 'danger';
  if (kind === 'read-only' || kind === 'idempotent') return 'info';
  return 'warning';
}

const ANNOTATION_WORDS: Record<string, [yes: string, no: string]> = {
  readOnlyHint: ['read-only (says it changes nothing)', 'may change things'],
  destructiveHint: ['may delete or overwrite (destructive)', 'not destructive'],
  idempotentHint: ['repeating it has no further effect (idempotent)', 'repeating it may have further effect'],
  openWorldHint: ['reaches outside systems (open world)', 'stays within its own system (closed world)'],
};

/** The tool's annotations as readable words: "read-only (says it changes nothing)", "title: Read file". */
export function annotationWords(annotations: CallPrompt['tool']['annotations']): string[] {
  if (annotations === undefined) return [];
  return Object.entries(annotations).map(([key, value]) => {
    const words = ANNOTATION_WORDS[key];
    if (words !== undefined && typeof value === 'boolean') return value ? words[0] : words[1];
    if (key === 'title' && typeof value === 'string') return `title: ${value}`;
    return `${key}: ${JSON.stringify(value) ?? String(value)}`;
  });
}

/** "claude-code 1.0.3", or "unknown agent". */
export function agentLabel(agent: CallPrompt['agent']): string {
  const name = [agent.name, agent.version].filter((part) => part !== undefined && part !== '').join(' ');
  return name === '' ? 'unknown agent' : name;
}

/** "N things" with the singular for one. */
export function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}
