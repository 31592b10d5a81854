/**
 * Server identity: what a wrapped server runs, as far as this machine can tell without the
 * network. Its hash keys the server's approval, so a server seen for the first time, or one whose
 * identity changed (another version, another binary, another URL), is held until approved;
 * `identityChanges` and `identityRiskHints` are the sentences the prompt and the audit event show.
 */
import { isAbsolute, resolve } from 'node:path';
import type { RegisteredLaunch, ServerIdentity } from '../../shared/server-registry.js';
import { canonicalJson } from '../common/canonical-json.js';
import { isPinned, packageFromLaunch, parsePackageSpec } from '../policy/package-spec.js';
import { hashedIdentity } from '../store/server-approvals.js';
import type { IdentityFs, IdentityWhere } from './identity-fs.js';

import { executableName, unwrapShell } from './launch-command.js';
import { npmResolved } from './npm-resolved.js';

// The composition root builds identity from this module alone.
export { nodeIdentityFs, type IdentityFs, type IdentityWhere } from './identity-fs.js';

// The cap on a hashed file, and why: main/store/file-hash.ts.
export { MAX_HASHED_BYTES } from '../store/file-hash.js';
import { MAX_HASHED_BYTES } from '../store/file-hash.js';

export function identityOf(launch: RegisteredLaunch, where: IdentityWhere, fs: IdentityFs): ServerIdentity {
  if (launch.transport !== 'stdio') return { transport: launch.transport, url: launch.url, pinned: false };
  const { command, args } = launch;
  const runDir = runDirOf(launch.cwd, where);
  const pkg = packageFromLaunch(command, args);
  if (pkg !== undefined) {
    const spec = parsePackageSpec(pkg);
    const resolved = spec?.ecosystem === 'npm' ? npmResolved(spec, command, args, runDir, where, fs) : undefined;
    return { transport: 'stdio', command, args: [...args], package: pkg, pinned: spec !== undefined && isPinned(spec), ...(resolved ? { resolved } : {}) };
  }
  const local = localFile(command, args, runDir, fs);
  return { transport: 'stdio', command, args: [...args], pinned: local !== undefined, ...(local ? { file: local.file, fileSha256: local.sha256 } : {}) };
}

/** What changed between two identities, one sentence each; empty exactly when their hashes are equal. */
export function identityChanges(before: ServerIdentity, after: ServerIdentity): string[] {
  const a = hashedIdentity(before);
  const b = hashedIdentity(after);
  const out: string[] = [];
  if (a.transport !== b.transport) out.push(`transport ${a.transport} → ${b.transport}`);
  if (a.command !== b.command) out.push(`command ${a.command ?? '(none)'} → ${b.command ?? '(none)'}`);
  if (canonicalJson(a.args) !== canonicalJson(b.args)) out.push(`arguments ${argvText(a.args)} → ${argvText(b.args)}`);
  if (a.url !== b.url) out.push(`URL ${a.url ?? '(none)'} → ${b.url ?? '(none)'}`);
  if (a.package !== b.package) out.push(packageChange(a.package, b.package));
  if (!a.pinned && !b.pinned && canonicalJson(a.resolved) !== canonicalJson(b.resolved)) out.push(resolvedChange(a.resolved, b.resolved));
  if (a.fileSha256 !== b.fileSha256) out.push(`file SHA-256 ${short(a.fileSha256)} → ${short(b.fileSha256)}`);
  if (out.length === 0 && canonicalJson(a) !== canonicalJson(b)) out.push(`pinned ${a.pinned ? 'yes' : 'no'} → ${b.pinned ? 'yes' : 'no'}`);
  return out;
}

/** Why approving this identity may approve more than the user sees. */
export function identityRiskHints(identity: ServerIdentity): string[] {
  const hints: string[] = [];
  if (identity.package !== undefined && !identity.pinned) hints.push(unpinnedHint(identity));
  if (identity.transport === 'stdio' && identity.package === undefined && identity.fileSha256 === undefined && identity.command !== undefined) {
    const name = executableName(identity.command);
    hints.push(
      isPathLike(identity.command) || interpreterOf(name)
        ? 'runs a local file that is not hashed (missing, not a regular file, over 256 MiB, or code given inline)'
        : `runs "${identity.command}" found on PATH, which is not hashed: another program of that name would not be noticed`,
    );
  }
  if (identity.url !== undefined && isPlainRemoteHttp(identity.url)) {
    hints.push(`remote server over plain http (${identity.url}): anyone on the network path can read and change its traffic`);
  }
  return hints;
}

function packageChange(before: string | undefined, after: string | undefined): string {
  const a = before !== undefined ? parsePackageSpec(before) : undefined;
  const b = after !== undefined ? parsePackageSpec(after) : undefined;
  if (a?.version !== undefined && b?.version !== undefined && a.ecosystem === b.ecosystem && a.name === b.name) {
    return `version ${versionText(a.version)} → ${versionText(b.version)}`;
  }
  return `package ${before ?? '(none)'} → ${after ?? '(none)'}`;
}

function resolvedChange(a: ServerIdentity['resolved'], b: ServerIdentity['resolved']): string {
  const unknown = '(not found locally)';
  if (a?.version !== b?.version) return `version ${a?.version ?? unknown} → ${b?.version ?? unknown}`;
  return `integrity ${short(a?.integrity)} → ${short(b?.integrity)}`;
}

function unpinnedHint(identity: ServerIdentity): string {
  const pkg = identity.package!;
  const spec = parsePackageSpec(pkg);
  const launcher = identity.command !== undefined ? launcherText(identity.command, identity.args ?? []) : 'the launcher';
  const seen = identity.resolved ? `; the local copy is ${identity.resolved.version}, which the next launch may replace` : '';
  if (spec?.ecosystem === 'oci') {
    return spec.version === undefined
      ? `unpinned image ${pkg} (no tag or digest: ${launcher} runs whatever "latest" points to)`
      : `unpinned image ${pkg} (a tag, not a digest: the registry can move it)`;
  }
  if (spec?.version === undefined) {
    const how = spec?.ecosystem === 'pypi' ? 'without ==version' : 'without a version';
    return `unpinned package ${pkg} (${launcher} ${how} runs whatever is newest${seen})`;
  }
  return `unpinned package ${pkg} (a range or tag, not one version: ${launcher} runs whatever it resolves to${seen})`;
}

/** `npx -y`, `pnpm dlx`, `uvx`: how the launch names its launcher, for the hints. */
function launcherText(command: string, args: readonly string[]): string {
  const [cmd, rest] = unwrapShell(command, args);
  const name = executableName(cmd);
  const sub = ['pnpm', 'yarn', 'npm', 'bun', 'pipx', 'docker', 'podman'].includes(name) && rest[0] !== undefined ? ` ${rest[0]}` : '';
  const yes = name === 'npx' && rest.some((a) => a === '-y' || a === '--yes') ? ' -y' : '';
  return `${name}${sub}${yes}`;
}

function isPlainRemoteHttp(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'http:') return false;
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  return !(host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host));
}

function argvText(args: readonly string[] | undefined): string {
  if (!args || args.length === 0) return '(none)';
  return args.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : JSON.stringify(a))).join(' ');
}

function versionText(version: string): string {
  return /^sha256:[0-9a-f]{64}$/.test(version) ? `${version.slice(0, 19)}…` : version;
}

/** `ab12cd34ef56…`, `sha512-ljj/3S4aGjxd…`: enough to tell two hashes apart. */
function short(value: string | undefined): string {
  if (value === undefined) return '(none)';
  const keep = (/^sha\d+-/.exec(value)?.[0].length ?? 0) + 12;
  return value.length > keep ? `${value.slice(0, keep)}…` : value;
}

// ── The local file a server runs ──────────────────────────────────────────────────────────────

/** The directory the server starts in: its own `cwd` (relative to the client's), else the client's, else the project. */
function runDirOf(cwd: string | undefined, where: IdentityWhere): string | undefined {
  const base = where.cwd ?? where.projectDir;
  if (cwd === undefined) return base;
  if (isAbsolute(cwd)) return cwd;
  return base !== undefined ? resolve(base, cwd) : undefined;
}

/**
 * How an interpreter takes its script: an optional (or required) subcommand before it, flags that
 * take the next argument as their value, and flags after which the code is inline or a module, not
 * a file the guard can hash.
 */
type Interpreter = { sub?: { name: string; required: boolean }; valued: ReadonlySet<string>; inline: ReadonlySet<string>; nested?: boolean };

const NODE: Interpreter = {
  valued: new Set(['-r', '--require', '--import', '--loader', '--experimental-loader', '-C', '--conditions', '--input-type', '--env-file', '--title']),
  inline: new Set(['-e', '--eval', '-p', '--print', '-']),
};
const PYTHON: Interpreter = { valued: new Set(['-W', '-X', '-Q']), inline: new Set(['-c', '-m', '-']) };
const SHELL: Interpreter = { valued: new Set(['-o', '-O', '+o', '+O']), inline: new Set(['-c', '-s']) };
const INTERPRETERS: Readonly<Record<string, Interpreter>> = {
  node: NODE,
  nodejs: NODE,
  tsx: NODE,
  python: PYTHON,
  bash: SHELL,
  sh: SHELL,
  zsh: SHELL,
  ruby: { valued: new Set(['-I', '-r', '-E', '-C']), inline: new Set(['-e']) },
  deno: {
    sub: { name: 'run', required: false },
    valued: new Set(['--config', '-c', '--import-map', '--lock', '--cert', '--location', '--seed']),
    inline: new Set(['--eval']),
  },
  bun: {
    sub: { name: 'run', required: false },
    valued: new Set(['-r', '--preload', '--cwd', '--env-file', '--config', '-c']),
    inline: new Set(['-e', '--eval', '-p', '--print']),
  },
  uv: {
    sub: { name: 'run', required: true },
    valued: new Set([
      '--with',
      '-w',
      '--with-requirements',
      '--with-editable',
      '--python',
      '-p',
      '--directory',
      '--project',
      '--package',
      '--extra',
      '--group',
      '--env-file',
      '--index',
      '--default-index',
      '--index-url',
      '-i',
      '--extra-index-url',
      '-f',
      '--find-links',
    ]),
    inline: new Set(['-m', '--module']),
    nested: true,
  },
};

/** `node`, `python3.12`, `py`: the interpreter a program name is, if it is one. */
function interpreterOf(name: string): Interpreter | undefined {
  if (/^python(\d+(\.\d+)?)?w?$/.test(name) || name === 'py') return PYTHON;
  return Object.hasOwn(INTERPRETERS, name) ? INTERPRETERS[name] : undefined;
}

type HashedFile = { file: string; sha256: string };

function hashed(file: string, fs: IdentityFs): HashedFile | undefined {
  const sha256 = fs.sha256File(file, MAX_HASHED_BYTES);
  return sha256 !== undefined ? { file, sha256 } : undefined;
}

function localFile(command: string, args: readonly string[], runDir: string | undefined, fs: IdentityFs): HashedFile | undefined {
  const [cmd, rest] = unwrapShell(command, args);
  let interpreter = interpreterOf(executableName(cmd));
  // A plain name is looked up on PATH only to see what it is (`nodejs` may be node); a program
  // found there is not hashed, since the client's PATH may differ and every upgrade would re-prompt.
  if (!interpreter && !isPathLike(cmd)) {
    const real = fs.which(cmd);
    interpreter = real !== undefined ? interpreterOf(executableName(real)) : undefined;
  }
  if (interpreter) return scriptSha256(interpreter, rest, runDir, fs);
  if (!isPathLike(cmd)) return undefined;
  const file = pathIn(cmd, runDir);
  return file !== undefined ? hashed(file, fs) : undefined;
}

/** The script an interpreter runs: the first argument that is neither a flag nor a flag's value, when it is an existing file. */
function scriptSha256(interpreter: Interpreter, args: readonly string[], runDir: string | undefined, fs: IdentityFs): HashedFile | undefined {
  let i = 0;
  if (interpreter.sub) {
    if (args[0] === interpreter.sub.name) i = 1;
    else if (interpreter.sub.required) return undefined;
  }
  let candidate: string | undefined;
  for (; i < args.length; i++) {
    const arg = args[i]!;
    if (interpreter.inline.has(arg)) return undefined;
    if (arg === '--') {
      candidate = args[++i];
      break;
    }
    if (arg.startsWith('-') || arg.startsWith('+')) {
      if (interpreter.valued.has(arg)) i++;
      continue;
    }
    candidate = arg;
    break;
  }
  if (candidate === undefined) return undefined;
  const file = pathIn(candidate, runDir);
  if (file !== undefined && fs.stat(file)?.kind === 'file') return hashed(file, fs);
  // `uv run python server.py`: uv runs a program, which may itself be an interpreter.
  const inner = interpreter.nested && !isPathLike(candidate) ? interpreterOf(executableName(candidate)) : undefined;
  return inner ? scriptSha256(inner, args.slice(i + 1), runDir, fs) : undefined;
}

function isPathLike(command: string): boolean {
  return /[/\\]/.test(command);
}

function pathIn(path: string, runDir: string | undefined): string | undefined {
  if (isAbsolute(path)) return path;
  return runDir !== undefined ? resolve(runDir, path) : undefined;
}
