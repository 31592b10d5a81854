/**
 * The guard proxy in-process, between two in-memory pipes and the raw fixture server (real
 * process), with a decider the test chooses: for what the CLI's policy cannot stage.
 */
import { PassThrough } from 'node:stream';
import type { Decision } from '../../shared/decision.js';
import type { CallRecord } from '../../main/proxy/call-record.js';
import type { Decider, ToolCall } from '../../main/proxy/decider.js';
import { GuardProxy } from '../../main/proxy/guard-proxy.js';
import { StdioUpstream } from '../../main/proxy/transport/stdio-upstream.js';
import { rawServerPath } from './paths.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON-RPC from the wire

export function harness(decide: (call: ToolCall) => Decision | Promise<Decision>, serverArgs: string[] = []) {
  const input = new PassThrough();
  const output = new PassThrough();
  const records: CallRecord[] = [];
  const calls: ToolCall[] = [];
  const logs: string[] = [];
  const decider: Decider = { decideCall: (c) => (calls.push(c), decide(c)), visibleTools: (_s, tools) => tools };
  const proxy = new GuardProxy({
    server: 'raw',
    upstream: new StdioUpstream({ kind: 'stdio', name: 'raw', command: process.execPath, args: [rawServerPath, ...serverArgs] }, process.env),
    decider,
    records: { record: (r) => records.push(r) },
    log: { log: (_level, message) => logs.push(message) },
    input,
    output,
    maxLineBytes: 1 << 20,
  });
  const received: Json[] = [];
  let buffer = '';
  output.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const lines = buffer.split('\n');
    buffer = lines.pop()!;
    for (const line of lines) received.push(JSON.parse(line) as Json);
  });
  const done = proxy.run();
  const send = (m: object | string) => input.write((typeof m === 'string' ? m : JSON.stringify(m)) + '\n');
  const waitFor = async (match: (m: Json) => boolean) => {
    for (let i = 0; i < 400; i++) {
      const found = received.find(match);
      if (found) return found;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error('timed out');
  };
  stops.push(() => (input.end(), done));
  return { send, waitFor, received, records, calls, logs };
}

const stops: Array<() => Promise<number>> = [];

/** Ends every harness started since the last call (an afterEach). */
export async function stopHarnesses(): Promise<void> {
  await Promise.all(stops.splice(0).map((stop) => stop()));
}
