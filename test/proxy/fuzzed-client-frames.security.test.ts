import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fuzzFrame, seeded } from '../fixtures/fuzz-frames.js';
import type { RawPeer } from '../helpers/raw-peer.js';
import { guardEnv, guardHomeWith, rawServer, startProxy, tempDir } from '../helpers/proxy.js';

const FRAMES = 12_000;
const SEED = Number(process.env['MCP_GUARD_FUZZ_SEED'] ?? 20261203);

let peer: RawPeer | undefined;
afterEach(() => peer?.child.kill('SIGKILL'));

/** The method as a lenient server might read it: case, width, white space and invisible characters folded. */
function folded(method: unknown): string {
  return typeof method === 'string'
    ? method
        .normalize('NFKC')
        .replace(/[\p{Cc}\p{Cf}\p{Z}\s\\]/gu, '')
        .toLowerCase()
    : '';
}

/**
 * Threat: a fuzzer (or a hostile agent) sends tens of thousands of malformed and disguised frames.
 * Under a deny-all policy the proxy must not crash or hang, no tools/call of any form may reach the
 * server, and what does reach it is re-serialised JSON-RPC only. Seeded: set MCP_GUARD_FUZZ_SEED to replay.
 */
describe(`the proxy under ${FRAMES.toLocaleString('en')} fuzzed client frames (seed ${SEED})`, () => {
  it('neither crashes nor hangs, forwards no tool call, and forwards nothing but re-serialised JSON-RPC', async () => {
    const record = join(tempDir(), 'received.jsonl');
    writeFileSync(record, '');
    const home = guardHomeWith({ version: 1, defaults: { tools: 'deny' } });
    peer = startProxy(['--name', 'raw', '--max-line-bytes', '65536'], rawServer('--record', record), guardEnv(home));
    await peer.initialize();
    const next = seeded(SEED);
    const stdin = peer.child.stdin;
    for (let i = 0; i < FRAMES; i++) {
      const frame = fuzzFrame(next);
      const ok = stdin.write(typeof frame === 'string' ? frame.replace(/\n/g, '') + '\n' : Buffer.concat([frame, Buffer.from('\n')]));
      if (!ok) await new Promise((resolve) => stdin.once('drain', resolve));
    }
    // Still answering, in order, after everything before it.
    const last = await peer.request('fuzz-done', 'ping');
    expect(last.result).toEqual({});
    expect(peer.child.exitCode).toBeNull();

    const lines = readFileSync(record, 'utf8')
      .split('\n')
      .filter((l) => l !== '');
    expect(lines.length).toBeGreaterThan(FRAMES / 20); // ordinary traffic did get through
    for (const line of lines) {
      const message = JSON.parse(line) as Record<string, unknown>;
      expect(JSON.stringify(message), 'forwarded exactly as re-serialised').toBe(line);
      expect(message['jsonrpc']).toBe('2.0');
      expect(typeof message['method'] === 'string' || 'result' in message || 'error' in message).toBe(true);
      expect(folded(message['method']), `no tool call reaches the server: ${line.slice(0, 200)}`).not.toBe('tools/call');
    }
    expect(peer.stderr).not.toMatch(/RangeError|TypeError|at .*\.js:\d+/);

    peer.closeStdin();
    expect((await peer.exited).code).toBe(0);
  }, 120_000);
});
