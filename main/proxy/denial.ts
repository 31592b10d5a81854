import type { Decision } from '../../shared/decision.js';

/**
 * What the client gets for a refused call: a tool result with `isError: true`, not a JSON-RPC
 * error. Clients hand tool results to the model and show them to the user as the tool's answer
 * ("MCP Guard denied …"), so the model learns why and does not retry blindly; JSON-RPC errors
 * are shown by most clients as a generic protocol failure of the server.
 */
export function deniedResult(server: string, tool: string, decision: Decision): Record<string, unknown> {
  const source = decision.rule === 'default' ? `${decision.layer} policy` : `rule "${decision.rule}", ${decision.layer} policy`;
  const text = `MCP Guard denied the call to tool "${tool}" of server "${server}": ${decision.reason} (${source}).`;
  return { content: [{ type: 'text', text }], isError: true };
}
