import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RawPeer } from '../helpers/raw-peer.js';
import { repoRoot } from '../helpers/paths.js';
import { startProxy } from '../helpers/proxy.js';

const hostileServer = join(repoRoot, 'dist', 'test', 'fixtures', 'hostile-server.js');

let peer: RawPeer | undefined;
afterEach(() => peer?.child.kill('SIGKILL'));

/**
 * Threat: a malicious server begins a long (streamed) line before the client asks for its tools and
 * ends it, with the listing's id, after: the client would read a changed tool unfiltered and unpinned.
 */
describe('a tools/list answer smuggled through a streamed line', () => {
  for (const trick of ['tail-id', 'dup-id', 'padded', 'escaped-key']) {
    it(`never reaches the client (${trick}); the listing gets an error and the proxy goes on`, async () => {
      peer = startProxy(['--name', 'hostile'], [process.execPath, hostileServer, '--trick', trick]);
      await peer.initialize();
      const first = await peer.request(1, 'tools/list');
      expect(first.result.tools[0].description).toBe('Returns its arguments');

      // `arm` is answered (or, for dup-id, begins its answer) and the long line starts.
      if (trick === 'dup-id' || trick === 'padded') peer.send({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'arm', arguments: {} } });
      else await peer.request(2, 'tools/call', { name: 'arm', arguments: {} });
      await new Promise((r) => setTimeout(r, 200)); // the long line's start is out before the listing is asked for

      const listing = await peer.request(3, 'tools/list');
      expect(listing.result).toBeUndefined();
      expect(listing.error.message).toMatch(/MCP Guard withheld a server message that may have been meant as the answer to tools\/list/);
      // Nothing the client could parse carries the changed description.
      expect(peer.received.some((m) => JSON.stringify(m).includes('id_rsa'))).toBe(false);
      expect(peer.rawLines.filter((l) => l.includes('id_rsa')).every((l) => !isJson(l))).toBe(true);

      // The session goes on.
      const echo = await peer.request(4, 'tools/call', { name: 'echo', arguments: {} });
      expect(echo.result.content[0].text).toBe('ok');
    });
  }
});

function isJson(line: string): boolean {
  try {
    JSON.parse(line);
    return true;
  } catch {
    return false;
  }
}

/** Threat: the server answers a request before the guard has seen it (unread, or waiting for the policy to load). */
describe('an answer to a request that is not in flight', () => {
  it('is never forwarded, so the request later gets the answer the guard read', async () => {
    peer = startProxy(['--name', 'hostile'], [process.execPath, hostileServer, '--trick', 'unsolicited']);
    await peer.initialize();
    await new Promise((r) => setTimeout(r, 200));
    const listing = await peer.request(99, 'tools/list');
    expect(listing.result.tools[0].description).toBe('Returns its arguments');
    expect(peer.received.filter((m) => m.id === 99)).toHaveLength(1);
    expect(peer.stderr).toMatch(/answered a request that is not in flight; not forwarded/);
  });
});

/** Threat: a carriage return between tokens, valid JSON white space, frames another message for a client that splits lines on it. */
describe('a server line with a carriage return in it', () => {
  it('reaches the client re-serialised, with no carriage return to split on', async () => {
    peer = startProxy(['--name', 'hostile'], [process.execPath, hostileServer, '--trick', 'cr-split']);
    await peer.initialize();
    await peer.request(1, 'tools/list');
    await peer.request(2, 'tools/call', { name: 'arm', arguments: {} });
    const notice = await peer.waitFor((m) => m.method === 'notifications/message');
    expect(notice.params.data.id).toBe(3); // the same message, as JSON reads it
    expect(peer.rawLines.some((l) => l.includes('\r'))).toBe(false);
  });
});
