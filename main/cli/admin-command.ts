import { closeSync, fchmodSync, openSync, unlinkSync, writeSync } from 'node:fs';
import type { z } from 'zod';
import { Ed25519PrivateJwk, Ed25519PublicJwk } from '../../shared/signed-policy.js';
import { validatePolicy } from '../policy/parse-policy.js';
import { FileRefusedError, readBoundedTextIfExistsSync, type ReadLimit } from '../store/read-bounded.js';
import { signBundle, signRoot } from '../sync/document-signing.js';
import { generateEd25519KeyPair, keyIdOf, publicPart } from '../sync/ed25519-keys.js';
import { MAX_DOCUMENT_BYTES } from '../sync/jws.js';
import { acceptBundle } from '../sync/policy-bundle.js';
import { acceptRoot, trustRootFrom, type TrustRoot } from '../sync/trust-root.js';
import { cliIo, flags, UsageError, type CliIo } from './cli-options.js';

export const ADMIN_USAGE = `usage:
  mcp-guard admin keygen --out PREFIX
  mcp-guard admin root --keys A.public.jwk,B.public.jwk --threshold N --sign K1.private.jwk[,K2...] [--expires 365d]
                       [--previous ROOT.jws --sign-previous OLD1.private.jwk[,...]]   > root.jws
  mcp-guard admin sign --key K.private.jwk[,K2...] [--version N] [--expires 30d] POLICY.json   > policy.jws
  mcp-guard admin verify (--key PUB.public.jwk | --root ROOT.jws) POLICY.jws
durations: a number and d (days) or h (hours), e.g. 30d, 12h`;

/** Exit 2. */
/** Exit 1: a file or document problem; the message names the file and never holds key material. */
class AdminError extends Error {}

const KEY_LIMIT: ReadLimit = { what: 'a JWK key file', maxBytes: 1024 * 1024, fix: 'pass the .jwk file `mcp-guard admin keygen` wrote' };
const POLICY_LIMIT: ReadLimit = { what: 'a policy file', maxBytes: 4 * 1024 * 1024, fix: 'shorten the policy' };
const JWS_LIMIT: ReadLimit = { what: 'a signed policy document', maxBytes: MAX_DOCUMENT_BYTES, fix: 'pass the .jws file `mcp-guard admin` wrote' };
const DAY = 86_400_000;

/** `mcp-guard admin …`: IT's signing tools. Exit 0 ok, 1 on a refused file or document, 2 on usage errors. */
export async function adminCommand(argv: string[], io: CliIo = cliIo(), now: () => Date = () => new Date()): Promise<number> {
  const [sub, ...rest] = argv;
  try {
    switch (sub) {
      case 'keygen':
        return await keygen(rest, io);
      case 'root':
        return await root(rest, io, now());
      case 'sign':
        return await sign(rest, io, now());
      case 'verify':
        return await verify(rest, io, now());
      case '--help':
      case undefined:
        io.stdout.write(ADMIN_USAGE + '\n');
        return sub === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown subcommand "${sub}"`);
    }
  } catch (error) {
    if (error instanceof AdminError) {
      io.stderr.write(`mcp-guard admin: ${error.message}\n`);
      return 1;
    }
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`mcp-guard admin: ${error.message}\n${ADMIN_USAGE}\n`);
    return 2;
  }
}

async function keygen(args: string[], io: CliIo): Promise<number> {
  const { values, positional } = flags(args, { '--out': 'value' });
  noPositional(positional);
  const prefix = required(values, '--out');
  const pair = await generateEd25519KeyPair();
  const privateFile = `${prefix}.private.jwk`;
  const publicFile = `${prefix}.public.jwk`;
  writeNewFile(privateFile, JSON.stringify(pair.privateJwk) + '\n', 0o600);
  try {
    writeNewFile(publicFile, JSON.stringify(pair.publicJwk, null, 2) + '\n', 0o644);
  } catch (error) {
    unlinkSync(privateFile);
    throw error;
  }
  io.stdout.write(`wrote ${privateFile} (0600; keep it offline) and ${publicFile}\nkid ${pair.kid}\n`);
  return 0;
}

async function root(args: string[], io: CliIo, now: Date): Promise<number> {
  const { values, positional } = flags(args, {
    '--keys': 'value',
    '--threshold': 'value',
    '--sign': 'value',
    '--expires': 'value',
    '--previous': 'value',
    '--sign-previous': 'value',
  });
  noPositional(positional);
  const keys = list(values, '--keys').map((f) => publicPart(readKey(f, Ed25519PublicJwk, 'public')));
  const threshold = integer(required(values, '--threshold'), '--threshold');
  const signing = list(values, '--sign').map((f) => readKey(f, Ed25519PrivateJwk, 'private'));
  const expiresAt = new Date(now.getTime() + duration(values.get('--expires') ?? '365d', '--expires')).toISOString();
  const previousFile = values.get('--previous');
  let previous: TrustRoot | undefined;
  if (previousFile !== undefined) {
    signing.push(...list(values, '--sign-previous').map((f) => readKey(f, Ed25519PrivateJwk, 'private')));
    const accepted = await acceptRoot(readText(previousFile, JWS_LIMIT, 'root'), undefined, now, { ignoreExpiry: true });
    if (!accepted.ok) throw new AdminError(`root ${previousFile}: ${accepted.reason}: ${accepted.message}`);
    previous = accepted.root;
  } else if (values.has('--sign-previous')) throw new UsageError('--sign-previous needs --previous ROOT.jws');
  const payload = { version: (previous?.version ?? 0) + 1, expiresAt, threshold, keys };
  const built = await trustRootFrom(payload, '');
  if (!built.ok) throw new AdminError(`the new root: ${built.message}`);
  const text = await signRoot(payload, await distinctKeys(signing));
  // What a guard would do with it: a root it would refuse is not printed.
  const check = await acceptRoot(text, previous, now);
  if (!check.ok) throw new AdminError(`the new root would be refused (${check.reason}): ${check.message}`);
  io.stdout.write(text);
  io.stderr.write(
    `root version ${payload.version}, threshold ${threshold} of ${keys.length} keys, expires ${expiresAt}, signed by ${check.signers.join(', ')}\n`,
  );
  return 0;
}

async function sign(args: string[], io: CliIo, now: Date): Promise<number> {
  const { values, positional } = flags(args, { '--key': 'value', '--version': 'value', '--expires': 'value' });
  if (positional.length !== 1) throw new UsageError('sign needs exactly one POLICY.json');
  const file = positional[0]!;
  const keys = list(values, '--key').map((f) => readKey(f, Ed25519PrivateJwk, 'private'));
  const version = values.has('--version') ? integer(values.get('--version')!, '--version') : Math.floor(now.getTime() / 1000);
  const lifetime = duration(values.get('--expires') ?? '30d', '--expires');
  const text = readText(file, POLICY_LIMIT, 'policy file');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new AdminError(`policy file ${file}: (root): not valid JSON: ${(error as Error).message}`);
  }
  const policy = validatePolicy(value);
  if (!policy.ok) throw new AdminError(policy.problems.map((p) => `policy file ${file}: ${p.path}: ${p.message}`).join('\n'));
  const issuedAt = now.toISOString();
  const expiresAt = new Date(now.getTime() + lifetime).toISOString();
  io.stdout.write(await signBundle({ version, issuedAt, expiresAt, policy: policy.policy }, await distinctKeys(keys)));
  io.stderr.write(`policy bundle version ${version}, issued ${issuedAt}, expires ${expiresAt}\n`);
  return 0;
}

async function verify(args: string[], io: CliIo, now: Date): Promise<number> {
  const { values, positional } = flags(args, { '--key': 'value', '--root': 'value' });
  if (positional.length !== 1) throw new UsageError('verify needs exactly one POLICY.jws');
  if (values.has('--key') === values.has('--root')) throw new UsageError('verify needs either --key PUB.public.jwk or --root ROOT.jws');
  let trust: TrustRoot;
  const rootFile = values.get('--root');
  if (rootFile !== undefined) {
    const accepted = await acceptRoot(readText(rootFile, JWS_LIMIT, 'root'), undefined, now);
    if (!accepted.ok) throw new AdminError(`root ${rootFile}: refused (${accepted.reason}): ${accepted.message}`);
    trust = accepted.root;
  } else {
    const keys = list(values, '--key').map((f) => publicPart(readKey(f, Ed25519PublicJwk, 'public')));
    // A root of these keys alone, any one of them enough: what `--key` means.
    const built = await trustRootFrom({ version: 1, expiresAt: '9999-12-31T23:59:59Z', threshold: 1, keys }, '');
    if (!built.ok) throw new AdminError(`--key: ${built.message}`);
    trust = built.root;
  }
  const file = positional[0]!;
  const result = await acceptBundle(readText(file, JWS_LIMIT, 'policy bundle'), trust, undefined, now);
  if (!result.ok) {
    io.stderr.write(`mcp-guard admin: policy bundle ${file}: refused (${result.reason}): ${result.message}\n`);
    return 1;
  }
  io.stdout.write(
    `${file}: good\nversion ${result.version}\nissued  ${result.issuedAt}\nexpires ${result.expiresAt}\nsigners ${result.signers.join(', ')}\nrules   ${result.policy.rules?.length ?? 0}\n`,
  );
  return 0;
}

/** Reads a key file; a broken one is described by field, never quoted (it may hold a private key). */
function readKey<S extends typeof Ed25519PublicJwk | typeof Ed25519PrivateJwk>(file: string, schema: S, kind: 'public' | 'private'): z.infer<S> {
  const text = readText(file, KEY_LIMIT, `${kind} key file`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AdminError(`${kind} key file ${file}: not valid JSON; pass the PREFIX.${kind}.jwk that \`mcp-guard admin keygen\` wrote`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    // Names only: field names (and unexpected member names), never a value.
    const fields = [...new Set(parsed.error.issues.flatMap((i) => (i.code === 'unrecognized_keys' ? i.keys : [i.path.join('.') || '(root)'])))].join(', ');
    throw new AdminError(
      `${kind} key file ${file}: not an Ed25519 ${kind} JWK (field ${fields}); pass the PREFIX.${kind}.jwk that \`mcp-guard admin keygen\` wrote`,
    );
  }
  return parsed.data as z.infer<S>;
}

async function distinctKeys(keys: Ed25519PrivateJwk[]): Promise<Ed25519PrivateJwk[]> {
  const byKid = new Map<string, Ed25519PrivateJwk>();
  for (const k of keys) byKid.set(await keyIdOf(k), k);
  return [...byKid.values()];
}

function readText(file: string, limit: ReadLimit, what: string): string {
  let text: string | undefined;
  try {
    text = readBoundedTextIfExistsSync(file, limit);
  } catch (error) {
    if (error instanceof FileRefusedError) throw new AdminError(`${what} ${file}: ${error.reason}`);
    throw new AdminError(`${what} ${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? 'error'}); check its permissions`);
  }
  if (text === undefined) throw new AdminError(`${what} ${file}: not found; check the path`);
  return text;
}

/** Creates `file` with `mode`, refusing one that exists (a key is never overwritten). */
function writeNewFile(file: string, text: string, mode: number): void {
  let fd: number;
  try {
    fd = openSync(file, 'wx', mode);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new AdminError(`${file}: already exists; keys are never overwritten: choose another --out PREFIX or move it away`);
    throw new AdminError(`${file}: cannot create it (${code ?? 'error'}); check the directory`);
  }
  try {
    fchmodSync(fd, mode);
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
}

function required(values: Map<string, string>, name: string): string {
  const value = values.get(name);
  if (value === undefined || value === '') throw new UsageError(`${name} is required`);
  return value;
}

function list(values: Map<string, string>, name: string): string[] {
  const items = required(values, name)
    .split(',')
    .map((s) => s.trim());
  if (items.some((s) => s === '')) throw new UsageError(`${name}: an empty file name in "${values.get(name)}"`);
  return items;
}

function integer(text: string, name: string): number {
  if (!/^[1-9]\d*$/.test(text) || !Number.isSafeInteger(Number(text))) throw new UsageError(`${name}: expected a positive integer, got "${text}"`);
  return Number(text);
}

function duration(text: string, name: string): number {
  const match = /^([1-9]\d{0,5})([dh])$/.exec(text);
  if (!match) throw new UsageError(`${name}: expected a duration like 30d or 12h, got "${text}"`);
  return Number(match[1]) * (match[2] === 'd' ? DAY : DAY / 24);
}

function noPositional(positional: string[]): void {
  if (positional.length > 0) throw new UsageError(`unexpected argument "${positional[0]}"`);
}
