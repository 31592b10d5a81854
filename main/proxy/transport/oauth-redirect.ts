/**
 * The loopback end of an OAuth sign-in (RFC 8252 §7.3): a listener on 127.0.0.1 that the
 * authorization server sends the browser back to, with the code. One path; any other is 404. The
 * `state` must be the one this sign-in sent: a redirect with another is refused (400) and the
 * sign-in keeps waiting for its own, so a page that guesses the port cannot hand the proxy a code
 * of its choosing. The first accepted redirect ends it; the wait is bounded.
 */
import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const REDIRECT_PATH = '/oauth/callback';

/** The sign-in did not finish: the wait ran out, the server sent an error back, or the listener was closed. */
export class RedirectError extends Error {
  constructor(
    readonly kind: 'timeout' | 'denied' | 'closed',
    message: string,
  ) {
    super(message);
    this.name = 'RedirectError';
  }
}

export type RedirectListener = {
  /** `http://127.0.0.1:<port>/oauth/callback` */
  readonly url: URL;
  readonly port: number;
  /** The state the sign-in sent; redirects carrying any other are refused. */
  expect(state: string): void;
  /** The code of the first redirect with the expected state; rejects with a RedirectError. */
  code(timeoutMs: number): Promise<string>;
  close(): void;
};

type Outcome = { code: string } | { error: RedirectError };

/**
 * Listens on `port` (the one the client registered, so its redirect URI still matches) or, when that
 * is taken or none is given, on a free one. `onRefused` hears of each refused redirect.
 */
export async function listenForRedirect(port: number | undefined, onRefused: (why: string) => void): Promise<RedirectListener> {
  let expected: Buffer | undefined;
  let outcome: Outcome | undefined;
  let settle: ((o: Outcome) => void) | undefined;
  const finish = (o: Outcome): void => {
    if (outcome) return;
    outcome = o;
    settle?.(o);
  };

  const server = createServer((req, res) => handle(req, res));
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method !== 'GET' || url.pathname !== REDIRECT_PATH) return page(res, 404, 'Not found.');
    if (outcome) return page(res, 400, 'This sign-in is already finished. Close this tab.');
    const state = url.searchParams.get('state');
    if (expected === undefined || state === null || !sameState(expected, state)) {
      onRefused('a redirect to the sign-in listener carried a state that is not the one MCP Guard sent; refused it, still waiting for the real one');
      return page(res, 400, 'MCP Guard refused this sign-in: it is not the one MCP Guard started (the state does not match). Close this tab.');
    }
    const error = url.searchParams.get('error');
    if (error !== null) {
      const code = /^[\w.-]{1,64}$/.test(error) ? error : 'an unreadable error';
      const said = printable(url.searchParams.get('error_description'));
      finish({
        error: new RedirectError(
          'denied',
          `the authorization server sent the sign-in back with ${JSON.stringify(code)}${said ? ` (${JSON.stringify(said)})` : ''}`,
        ),
      });
      return page(res, 400, 'The sign-in was not completed. You can close this tab.');
    }
    const code = url.searchParams.get('code');
    if (!code) return page(res, 400, 'MCP Guard refused this sign-in: the redirect carries no code. Close this tab.');
    finish({ code });
    page(res, 200, 'Signed in. You can close this tab and go back to your MCP client.');
  };

  const bound = await bind(server, port).catch((error: unknown) => {
    if (port === undefined || (error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    return bind(server, undefined);
  });
  const url = new URL(`http://127.0.0.1:${bound}${REDIRECT_PATH}`);
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  const close = (): void => {
    if (closed) return;
    closed = true;
    clearTimeout(timer);
    finish({ error: new RedirectError('closed', 'the sign-in was stopped (the proxy is closing)') });
    server.closeAllConnections();
    server.close();
  };
  return {
    url,
    port: bound,
    expect: (state) => (expected = Buffer.from(state, 'utf8')),
    code: (timeoutMs) =>
      new Promise<string>((resolve, reject) => {
        const take = (o: Outcome): void => {
          clearTimeout(timer);
          if ('code' in o) resolve(o.code);
          else reject(o.error);
        };
        if (outcome) return take(outcome);
        settle = take;
        timer = setTimeout(() => finish({ error: new RedirectError('timeout', `no sign-in came back within ${duration(timeoutMs)}`) }), timeoutMs);
      }),
    close,
  };
}

/** `5 minutes`, `0.3 s` */
export function duration(ms: number): string {
  return ms >= 60_000 ? `${+(ms / 60_000).toFixed(1)} minutes` : `${+(ms / 1000).toFixed(1)} s`;
}

function bind(server: ReturnType<typeof createServer>, port: number | undefined): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    server.once('error', onError);
    server.listen(port ?? 0, '127.0.0.1', () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function sameState(expected: Buffer, given: string): boolean {
  const actual = Buffer.from(given, 'utf8');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** What the server said, as plain short text. */
function printable(text: string | null): string {
  return (text ?? '').replace(/[^\x20-\x7e]/g, '').slice(0, 200);
}

/** Plain text, so nothing of the query is ever rendered as markup. */
function page(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', connection: 'close' }).end(`${text}\n`);
}
