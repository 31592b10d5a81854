import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import { tempDir } from './proxy.js';

/**
 * A real Debian nginx (package nginx-light, test/setup/install-os-deps.sh) serving a temp dir over
 * TLS on 127.0.0.1, as a child process of the test (`daemon off`), with its prefix, config, pid,
 * logs and temp paths under its own temp dir. Its certificate is issued by a test CA that
 * `makeTestCa` makes with openssl. `stop()` and `start()` may be called mid-test; the port stays.
 */

const NGINX = '/usr/sbin/nginx';

export type TestCa = { dir: string; caPem: string; caFile: string; certFile: string; keyFile: string; certPem: string };

/** A CA (P-256) and a server certificate for IP 127.0.0.1 signed by it, made with openssl in a temp dir. */
export function makeTestCa(name = 'ca'): TestCa {
  const dir = tempDir(`mcp-guard-${name}-`);
  const at = (f: string) => join(dir, f);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const p256 = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  openssl(
    'req',
    '-x509',
    ...p256,
    '-keyout',
    at('ca.key'),
    '-out',
    at('ca.pem'),
    '-days',
    '2',
    '-subj',
    `/CN=mcp-guard test ${name}`,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  );
  openssl('req', ...p256, '-keyout', at('server.key'), '-out', at('server.csr'), '-subj', '/CN=127.0.0.1');
  writeFileSync(at('server.ext'), 'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1\n');
  openssl(
    'x509',
    '-req',
    '-in',
    at('server.csr'),
    '-CA',
    at('ca.pem'),
    '-CAkey',
    at('ca.key'),
    '-set_serial',
    '2',
    '-days',
    '2',
    '-extfile',
    at('server.ext'),
    '-out',
    at('server.pem'),
  );
  return {
    dir,
    caFile: at('ca.pem'),
    caPem: readFileSync(at('ca.pem'), 'utf8'),
    certFile: at('server.pem'),
    certPem: readFileSync(at('server.pem'), 'utf8'),
    keyFile: at('server.key'),
  };
}

export class TestNginx {
  readonly prefix = tempDir('mcp-guard-nginx-');
  readonly root = join(this.prefix, 'www');
  readonly accessLog = join(this.prefix, 'access.log');
  private child: ChildProcess | undefined;
  private stderr = '';
  /** nginx's ETag is mtime (seconds) and size: each write gets its own second so a new version always gets a new ETag. */
  private mtime = Math.floor(Date.now() / 1000) - 100_000;

  private constructor(
    readonly ca: TestCa,
    readonly port: number,
  ) {
    mkdirSync(this.root);
    for (const d of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(this.prefix, d));
    writeFileSync(join(this.prefix, 'nginx.conf'), this.config());
  }

  static async start(ca: TestCa): Promise<TestNginx> {
    const nginx = new TestNginx(ca, await freePort());
    await nginx.start();
    return nginx;
  }

  url(name: string): string {
    return `https://127.0.0.1:${this.port}/${name}`;
  }

  write(name: string, text: string): void {
    const file = join(this.root, name);
    writeFileSync(file, text);
    this.mtime += 1;
    utimesSync(file, this.mtime, this.mtime);
  }

  /** The access log's lines: `<status> [<If-None-Match as sent>] <uri>`. */
  requests(): string[] {
    try {
      return readFileSync(this.accessLog, 'utf8').split('\n').filter(Boolean);
    } catch {
      return [];
    }
  }

  async start(): Promise<void> {
    if (this.child) return;
    const child = spawn(NGINX, ['-p', this.prefix, '-c', 'nginx.conf', '-e', join(this.prefix, 'error.log')], { stdio: ['ignore', 'ignore', 'pipe'] });
    this.child = child;
    this.stderr = '';
    child.stderr?.on('data', (d: Buffer) => (this.stderr += d.toString()));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const deadline = Date.now() + 10_000;
    while (!(await listening(this.port))) {
      if (child.exitCode !== null || Date.now() > deadline) {
        this.child = undefined;
        child.kill('SIGKILL');
        await exited;
        throw new Error(`nginx did not start on port ${this.port}: ${this.stderr}${safeRead(join(this.prefix, 'error.log'))}`);
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** Fast shutdown (SIGTERM), waiting for the process and its workers to be gone. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = undefined;
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      await exited;
    }
  }

  private config(): string {
    const p = this.prefix;
    return `${process.getuid?.() === 0 ? 'user root root;\n' : ''}daemon off;
worker_processes 1;
pid ${join(p, 'nginx.pid')};
error_log ${join(p, 'error.log')} warn;
events { worker_connections 64; }
http {
  client_body_temp_path ${join(p, 'body')};
  proxy_temp_path ${join(p, 'proxy')};
  fastcgi_temp_path ${join(p, 'fastcgi')};
  uwsgi_temp_path ${join(p, 'uwsgi')};
  scgi_temp_path ${join(p, 'scgi')};
  log_format guard escape=none '$status [$http_if_none_match] $uri';
  access_log ${this.accessLog} guard;
  default_type application/octet-stream;
  server {
    listen 127.0.0.1:${this.port} ssl;
    ssl_certificate ${this.ca.certFile};
    ssl_certificate_key ${this.ca.keyFile};
    root ${this.root};
    location = /moved { return 302 https://127.0.0.1:${this.port}/bundle.jws; }
  }
}
`;
  }
}

function safeRead(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
