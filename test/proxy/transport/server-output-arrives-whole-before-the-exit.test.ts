import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openServerOutput, pipeOutput, type ServerOutput } from '../../../main/proxy/transport/server-output.js';
import { StdioUpstream } from '../../../main/proxy/transport/stdio-upstream.js';
import type { UpstreamExit } from '../../../main/proxy/transport/upstream.js';
import { countingText, difference } from '../../fixtures/counting-text.js';
import { rawServerPath } from '../../helpers/paths.js';
import { tempDir } from '../../helpers/proxy.js';

const call = (id: number, name: string, args: object = {}) => JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } });

/** Runs the raw server with `lines` sent at once (before it exists); collects its output until its exit is reported. */
async function run(output: () => Promise<ServerOutput>, args: string[], lines: string[], pausedMs = 0): Promise<{ text: string; exit: UpstreamExit }> {
  const upstream = new StdioUpstream({ kind: 'stdio', name: 'raw', command: process.execPath, args }, process.env, output);
  void upstream.launch();
  for (const line of lines) upstream.send({}, line);
  const chunks: Buffer[] = [];
  const exit = await new Promise<UpstreamExit>((resolve) => {
    // Copied at once: a chunk is lent, its buffer reused for the next read.
    const onData = (chunk: Buffer) => {
      chunks.push(Buffer.from(chunk));
      if (chunks.length > 1 || pausedMs === 0) return;
      // As when the client is slow: after the first chunk, the proxy stops reading for a while.
      upstream.pause();
      setTimeout(() => upstream.resume(), pausedMs);
    };
    upstream.start({ onData, onExit: resolve, onDrain: () => undefined });
  });
  await upstream.close();
  return { text: Buffer.concat(chunks).toString('utf8'), exit };
}

describe.each([
  ['a socket pair read into one reused buffer', openServerOutput],
  ['a plain pipe (the fallback)', () => Promise.resolve(pipeOutput())],
])('a stdio server whose output comes through %s', (_how, output) => {
  it('hands on every byte in order, including what was sent before the server existed, before it reports the exit', async () => {
    const { text, exit } = await run(
      output,
      [rawServerPath],
      [call(1, 'big', { bytes: 3_000_000, counting: true }), call(2, 'echo', { n: 2 }), call(3, 'die', { flushed: true })],
    );
    const echo = JSON.stringify({ jsonrpc: '2.0', id: 2, result: { content: [{ type: 'text', text: '{"n":2}' }] } });
    expect(difference(text, `{"result":{"content":[{"type":"text","text":"${countingText(3_000_000)}"}]},"jsonrpc":"2.0","id":1}\n${echo}\n`)).toBeUndefined();
    expect(exit).toMatchObject({ failedToStart: false, code: 3 });
  });

  it('reports the exit of a server only after reading what it left behind, though reading was paused when it exited', async () => {
    // 100 kB fits in the socket's buffer, so the server is gone long before the proxy reads it.
    const { text, exit } = await run(output, [rawServerPath], [call(1, 'big', { bytes: 100_000, counting: true }), call(2, 'die', { flushed: true })], 300);
    expect(difference(text, `{"result":{"content":[{"type":"text","text":"${countingText(100_000)}"}]},"jsonrpc":"2.0","id":1}\n`)).toBeUndefined();
    expect(exit).toMatchObject({ failedToStart: false, code: 3 });
  });

  it('keeps a pause asked for before the server was spawned', async () => {
    const upstream = new StdioUpstream({ kind: 'stdio', name: 'raw', command: process.execPath, args: [rawServerPath] }, process.env, output);
    void upstream.launch();
    upstream.pause();
    upstream.send({}, call(1, 'echo'));
    const chunks: Buffer[] = [];
    upstream.start({ onData: (chunk) => chunks.push(Buffer.from(chunk)), onExit: () => undefined, onDrain: () => undefined });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(chunks).toEqual([]);
    upstream.resume();
    for (let i = 0; i < 100 && chunks.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(Buffer.concat(chunks).toString()).toContain('"id":1');
    await upstream.close();
  });

  it('reports a server that cannot be spawned at all, naming the command', async () => {
    // A NUL byte makes Node throw from spawn() itself, rather than emit an error.
    const { text, exit } = await run(output, ['bad\0argument'], []);
    expect(text).toBe('');
    expect(exit.failedToStart).toBe(true);
    expect(exit.reason).toContain(`could not start MCP server "raw": ${JSON.stringify(process.execPath)}`);
  });
});

describe('the socket pair', () => {
  const saved = process.env['TMPDIR'];
  afterEach(() => {
    if (saved === undefined) delete process.env['TMPDIR'];
    else process.env['TMPDIR'] = saved;
  });

  it.skipIf(process.platform === 'win32')('is what a stdio server gets here, and leaves nothing behind in the temp directory', async () => {
    const tmp = join(tempDir(), 'tmp');
    mkdirSync(tmp);
    process.env['TMPDIR'] = tmp;
    const output = await openServerOutput();
    expect(output.stdio).not.toBe('pipe');
    // No child (spawn threw): the reader is ended without ever being resumed.
    await output.attach(undefined).ended;
    // The listener's directory is removed in the background.
    for (let i = 0; i < 50 && readdirSync(tmp).length > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('falls back to a pipe when no socket can be made (here: no temp directory)', async () => {
    process.env['TMPDIR'] = join(tempDir(), 'missing');
    expect((await openServerOutput()).stdio).toBe('pipe');
  });

  it('falls back to a pipe rather than let the OS cut a long socket path short, outside the private directory', async () => {
    // A 95-byte temp directory makes a 116-byte socket path, which Linux would cut to 107 bytes:
    // a socket named after the private directory, in the shared one, left there.
    const base = tempDir();
    const tmp = join(base, 'd'.repeat(95 - base.length - 1));
    mkdirSync(tmp);
    process.env['TMPDIR'] = tmp;
    expect((await openServerOutput()).stdio).toBe('pipe');
    for (let i = 0; i < 50 && readdirSync(tmp).length > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(readdirSync(tmp)).toEqual([]);
  });
});
