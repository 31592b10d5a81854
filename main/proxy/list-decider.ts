import type { Decision } from '../../shared/decision.js';
import type { Decider, ListedTool, ToolCall } from './decider.js';

/**
 * The `--allow` / `--deny` flags of `mcp-guard run`: tool names (plain or `mcp__server__tool`,
 * `*` wildcards). A denied tool is hidden and its calls refused; with an allow list, every tool
 * not on it is too. Deny wins over allow.
 */
export class ListDecider implements Decider {
  private readonly allow: RegExp[] | undefined;
  private readonly deny: RegExp[];

  constructor(allow: string[] | undefined, deny: string[]) {
    this.allow = allow?.map(toPattern);
    this.deny = deny.map(toPattern);
  }

  decideCall(call: ToolCall): Decision {
    return this.decide(call.server, call.tool);
  }

  visibleTools(server: string, tools: ListedTool[]): ListedTool[] {
    return tools.filter((t) => this.decide(server, t.name).effect === 'allow');
  }

  private decide(server: string, tool: string): Decision {
    const names = [tool, `mcp__${server}__${tool}`];
    const matches = (p: RegExp) => names.some((n) => p.test(n));
    if (this.deny.some(matches)) {
      return { effect: 'deny', layer: 'cli', rule: '--deny', reason: `"${tool}" is on the --deny list`, hints: [] };
    }
    if (this.allow && !this.allow.some(matches)) {
      return { effect: 'deny', layer: 'cli', rule: '--allow', reason: `"${tool}" is not on the --allow list`, hints: [] };
    }
    return { effect: 'allow', layer: 'cli', rule: this.allow ? '--allow' : 'default', reason: 'allowed by the command line', hints: [] };
  }
}

function toPattern(glob: string): RegExp {
  const body = glob.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${body}$`);
}
