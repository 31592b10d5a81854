import type { Decision } from '../../shared/decision.js';
import { Glob } from '../policy/glob.js';
import type { Decider, ListedTool, ToolCall } from './decider.js';

/**
 * The `--allow` / `--deny` flags of `mcp-guard run`: tool names (plain or `mcp__server__tool`,
 * `*` wildcards). A denied tool is hidden and its calls refused; with an allow list, every tool
 * not on it is too. Deny wins over allow.
 */
export class ListDecider implements Decider {
  private readonly allow: Glob[] | undefined;
  private readonly deny: Glob[];

  constructor(allow: string[] | undefined, deny: string[]) {
    this.allow = allow?.map((g) => new Glob(g));
    this.deny = deny.map((g) => new Glob(g));
  }

  decideCall(call: ToolCall): Decision {
    return this.decide(call.server, call.tool);
  }

  visibleTools(server: string, tools: ListedTool[]): ListedTool[] {
    return tools.filter((t) => this.decide(server, t.name).effect === 'allow');
  }

  private decide(server: string, tool: string): Decision {
    const names = [tool, `mcp__${server}__${tool}`];
    const matches = (p: Glob) => names.some((n) => p.test(n));
    if (this.deny.some(matches)) {
      return { effect: 'deny', layer: 'cli', rule: '--deny', reason: `"${tool}" is on the --deny list`, hints: [] };
    }
    if (this.allow && !this.allow.some(matches)) {
      return { effect: 'deny', layer: 'cli', rule: '--allow', reason: `"${tool}" is not on the --allow list`, hints: [] };
    }
    return { effect: 'allow', layer: 'cli', rule: this.allow ? '--allow' : 'default', reason: 'allowed by the command line', hints: [] };
  }
}
