/**
 * The loopback listener an OAuth sign-in comes back to (main/proxy/transport/oauth-redirect.ts):
 * a page that finds its port must not be able to hand the proxy a code, and a sign-in that never
 * comes back must not hold the request forever.
 */
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { listenForRedirect, RedirectError, REDIRECT_PATH, type RedirectListener } from '../../../main/proxy/transport/oauth-redirect.js';

let listener: RedirectListener | undefined;
afterEach(() => {
  listener?.close();
  listener = undefined;
});

function at(l: RedirectListener, query: Record<string, string>, path = REDIRECT_PATH): string {
  const url = new URL(path, l.url);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  return url.href;
}

describe('the sign-in listener', () => {
  it('listens on 127.0.0.1 at one path, and answers any other path with 404', async () => {
    listener = await listenForRedirect(undefined, () => undefined);
    expect(listener.url.hostname).toBe('127.0.0.1');
    expect(listener.url.pathname).toBe(REDIRECT_PATH);
    expect((await fetch(at(listener, { code: 'c', state: 's' }, '/other'))).status).toBe(404);
  });

  it('refuses a redirect with another state and keeps waiting, then takes the one with its own', async () => {
    const refused: string[] = [];
    listener = await listenForRedirect(undefined, (why) => refused.push(why));
    listener.expect('the-real-state');
    const code = listener.code(5000);
    const forged = await fetch(at(listener, { code: 'attacker-code', state: 'forged' }));
    expect(forged.status).toBe(400);
    expect(await forged.text()).toMatch(/refused this sign-in/);
    const missing = await fetch(at(listener, { code: 'attacker-code' }));
    expect(missing.status).toBe(400);
    expect(refused).toHaveLength(2);
    const real = await fetch(at(listener, { code: 'real-code', state: 'the-real-state' }));
    expect(real.status).toBe(200);
    await expect(code).resolves.toBe('real-code');
    // Done: a later redirect, even with the right state, changes nothing.
    expect((await fetch(at(listener, { code: 'late', state: 'the-real-state' }))).status).toBe(400);
  });

  it('refuses every redirect before the sign-in has sent its state', async () => {
    listener = await listenForRedirect(undefined, () => undefined);
    expect((await fetch(at(listener, { code: 'c', state: '' }))).status).toBe(400);
  });

  it('keeps a code that came back before anyone waited for it', async () => {
    listener = await listenForRedirect(undefined, () => undefined);
    listener.expect('s1');
    expect((await fetch(at(listener, { code: 'early', state: 's1' }))).status).toBe(200);
    await expect(listener.code(1000)).resolves.toBe('early');
  });

  it('ends the wait with the error the authorization server sent back, and shows it as plain text', async () => {
    listener = await listenForRedirect(undefined, () => undefined);
    listener.expect('s2');
    const settled = listener.code(5000).catch((e: unknown) => e);
    const page = await fetch(at(listener, { error: 'access_denied', error_description: '<script>x</script> the user said no', state: 's2' }));
    expect(page.headers.get('content-type')).toMatch(/^text\/plain/);
    const error = await settled;
    expect(error).toBeInstanceOf(RedirectError);
    expect((error as RedirectError).kind).toBe('denied');
    expect((error as RedirectError).message).toContain('"access_denied"');
  });

  it('gives up after its time limit, saying so', async () => {
    listener = await listenForRedirect(undefined, () => undefined);
    listener.expect('s3');
    const error = await listener.code(200).catch((e: unknown) => e);
    expect((error as RedirectError).kind).toBe('timeout');
    expect((error as RedirectError).message).toMatch(/no sign-in came back within/);
  });

  it('stops waiting when closed', async () => {
    listener = await listenForRedirect(undefined, () => undefined);
    const code = listener.code(5000);
    listener.close();
    await expect(code).rejects.toMatchObject({ kind: 'closed' });
  });

  it('reuses the port it is given, and takes a free one when that is taken', async () => {
    const first = await listenForRedirect(undefined, () => undefined);
    const port = first.port;
    first.close();
    listener = await listenForRedirect(port, () => undefined);
    expect(listener.port).toBe(port);
    listener.close();
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', resolve));
    try {
      listener = await listenForRedirect(port, () => undefined);
      expect(listener.port).not.toBe(port);
    } finally {
      squatter.close();
    }
  });
});
