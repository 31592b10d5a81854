/**
 * Credential helpers: a command whose output is the secret (`["gh", "auth", "token"]`), run at
 * launch instead of keeping a copy in the keychain, so a token the tool rotates stays current.
 * Run without a shell, stdin closed (the proxy's stdin is the MCP client's pipe), bounded in time
 * and output. Errors name the command (argv[0]: later arguments may hold secrets of their own) and
 * never carry its stdout.
 */
import { spawn } from 'node:child_process';
import { CREDENTIALS } from '../common/credential-patterns.js';

export const DEFAULT_HELPER_TIMEOUT_MS = 10_000;
export const MAX_HELPER_OUTPUT_BYTES = 64 * 1024;
const MAX_STDERR_BYTES = 4096;
const MAX_STDERR_LINE = 200;

/** A helper that gave no value: what went wrong, with the command's name, never its output. */
export class CredentialHelperError extends Error {
  constructor(
    readonly command: string,
    message: string,
  ) {
    super(message);
    this.name = 'CredentialHelperError';
  }
}

export type HelperRun = { command: readonly string[]; timeoutMs?: number | undefined; env?: NodeJS.ProcessEnv | undefined };

/** Runs the helper; resolves its stdout, trimmed. */
export function runCredentialHelper({ command, timeoutMs = DEFAULT_HELPER_TIMEOUT_MS, env = process.env }: HelperRun): Promise<string> {
  const [file, ...args] = command;
  if (file === undefined || file === '')
    return Promise.reject(
      new CredentialHelperError('', 'mcp-guard: credential helper: the command is empty; give it as an argv array like ["gh", "auth", "token"]'),
    );
  const name = JSON.stringify(file);
  return new Promise((resolve, reject) => {
    // Its own process group on POSIX, so a timeout kills what the helper started too.
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'], env, shell: false, windowsHide: true, detached: process.platform !== 'win32' });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    let errBytes = 0;
    let settled = false;
    const fail = (what: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      kill(child.pid);
      reject(new CredentialHelperError(file, `mcp-guard: credential helper ${name} ${what}${stderrNote(err, out)}`));
    };
    const timer = setTimeout(() => fail(`did not finish within ${timeoutMs} ms and was killed`), timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      outBytes += chunk.length;
      if (outBytes > MAX_HELPER_OUTPUT_BYTES) return fail(`wrote more than ${MAX_HELPER_OUTPUT_BYTES / 1024} KiB and was killed; a secret is one short value`);
      out.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (errBytes < MAX_STDERR_BYTES) err.push(chunk);
      errBytes += chunk.length;
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      const why =
        error.code === 'ENOENT'
          ? 'was not found (is it installed and on PATH?)'
          : error.code === 'EACCES'
            ? 'is not executable'
            : `could not be started (${error.code ?? 'error'})`;
      fail(why);
    });
    child.on('close', (code, signal) => {
      if (settled) return;
      if (signal !== null) return fail(`was killed by ${signal}`);
      if (code !== 0) return fail(`exited with code ${code}`);
      const value = Buffer.concat(out).toString('utf8').trim();
      if (value === '') return fail('exited with code 0 but printed nothing on stdout; it should print the secret');
      settled = true;
      clearTimeout(timer);
      resolve(value);
    });
  });
}

function kill(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    if (process.platform === 'win32') process.kill(pid, 'SIGKILL');
    else process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/**
 * The first line of stderr, short, as a hint of why. Helpers print errors there, not secrets, but a
 * debug line might echo one: anything shaped like a credential, or what stdout held, is cut out.
 */
function stderrNote(err: Buffer[], out: Buffer[]): string {
  let line = (
    Buffer.concat(err)
      .toString('utf8')
      .split(/\r?\n/)
      .find((l) => l.trim() !== '') ?? ''
  ).trim();
  if (line === '') return '';
  for (const stdoutLine of Buffer.concat(out).toString('utf8').split(/\r?\n/)) {
    const piece = stdoutLine.trim();
    if (piece.length >= 4) line = line.split(piece).join('[redacted]');
  }
  for (const { re } of CREDENTIALS) line = line.replace(new RegExp(`${re.source}\\S*`, 'g'), '[redacted]');
  if (line.length > MAX_STDERR_LINE) line = `${line.slice(0, MAX_STDERR_LINE)}…`;
  return ` (stderr: ${JSON.stringify(line)})`;
}

type HelperSource = { command: readonly string[]; timeoutMs?: number | undefined; ttlSeconds?: number | undefined };

/**
 * Helper values, kept until their `ttlSeconds` pass and then fetched again; without a TTL, for as long
 * as the cache lives (a proxy's: its whole run). Concurrent asks for one command share one run; a
 * failed run is not kept, so the next ask tries again.
 */
export class HelperCache {
  private readonly entries = new Map<string, { value: Promise<string>; expiresAt: number }>();

  constructor(
    private readonly run: (r: HelperRun) => Promise<string> = runCredentialHelper,
    private readonly now: () => number = Date.now,
  ) {}

  get(source: HelperSource): Promise<string> {
    const key = JSON.stringify([source.command, source.timeoutMs ?? null]);
    const hit = this.entries.get(key);
    if (hit && this.now() < hit.expiresAt) return hit.value;
    const value = this.run({ command: source.command, timeoutMs: source.timeoutMs });
    const expiresAt = source.ttlSeconds === undefined ? Infinity : this.now() + source.ttlSeconds * 1000;
    const entry = { value, expiresAt };
    this.entries.set(key, entry);
    value.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    return value;
  }
}
