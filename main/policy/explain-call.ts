/**
 * "Why would this call be decided so?": the evaluation `mcp-guard policy explain` runs (main/cli/
 * policy-command.ts), as a value, so the Policy page gives exactly what `policy explain --json`
 * prints. No grants, pins or approvals: the policy alone, as the CLI judges it.
 */
import type { Evaluation, PolicyEngine } from './policy-engine.js';
import { explanationJson } from './policy-view.js';

export type ExplainCall = { server: string; tool: string; arguments?: string | undefined; client?: string | undefined };

export type Explained = { ok: true; tool: string; evaluation: Evaluation; explanation: ReturnType<typeof explanationJson> } | { ok: false; reason: string };

/** The call as the engine sees it: the tool's own name (an `mcp__server__` prefix dropped) and the parsed arguments. */
export function explainTarget(call: ExplainCall): { ok: true; tool: string; args: unknown } | { ok: false; reason: string } {
  const { server } = call;
  // As the CLI does: `mcp__fs__read_file` and `read_file` name the same tool of server "fs".
  const prefix = `mcp__${server}__`;
  const tool = call.tool.startsWith(prefix) ? call.tool.slice(prefix.length) : call.tool;
  let args: unknown = {};
  if (call.arguments !== undefined && call.arguments.trim() !== '') {
    try {
      args = JSON.parse(call.arguments);
    } catch (error) {
      return {
        ok: false,
        reason: `the arguments are not valid JSON (${error instanceof Error ? error.message : String(error)}); write them as a JSON object like {"path": "/tmp/a"}`,
      };
    }
  }
  return { ok: true, tool, args };
}

export function explainCall(engine: PolicyEngine, call: ExplainCall, now: number): Explained {
  const target = explainTarget(call);
  if (!target.ok) return target;
  const { server, client } = call;
  const { tool, args } = target;
  const evaluation = engine.evaluate({ server: { name: server }, tool, arguments: args, client: client !== undefined ? { name: client } : {}, now });
  return { ok: true, tool, evaluation, explanation: explanationJson(evaluation, { server, tool, client }) };
}
