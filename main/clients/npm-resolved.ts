/**
 * The version an npm launch resolved to, from local data only (the project's install, npx's
 * cache): never the network. Part of a server's identity (./server-identity.ts).
 */
import { createHash } from 'node:crypto';
import { isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import type { ServerIdentity } from '../../shared/server-registry.js';
import { type PackageSpec } from '../policy/package-spec.js';
import { parseExactVersion, parseRange, satisfies } from '../policy/semver-range.js';
import { canonicalJson } from '../common/canonical-json.js';
import type { IdentityFs, IdentityWhere } from './identity-fs.js';
import { executableName, unwrapShell } from './launch-command.js';

const InstalledManifest = z.object({ name: z.string(), version: z.string().min(1) });
const LockFile = z.object({ packages: z.record(z.string(), z.unknown()).optional(), dependencies: z.record(z.string(), z.unknown()).optional() });
const LockEntry = z.object({ version: z.string(), integrity: z.string().optional() });
/** `~/.npm/_npx/<key>/package.json`: the specs npx installed there (npm 9+), and the dependencies it saved. */
const NpxManifest = z.object({ dependencies: z.record(z.string(), z.string()).optional(), _npx: z.object({ packages: z.array(z.string()) }).optional() });
/** A registry package name (validate-npm-package-name's rule); anything else is never turned into a path. */
const NPM_NAME = /^(?:@[a-z0-9~-][a-z0-9._~-]*\/)?[a-z0-9~-][a-z0-9._~-]*$/i;
const MAX_NPX_DIRS = 2000;

/**
 * What npx would run, in its order: a copy installed in the project it starts in, when that copy
 * satisfies the spec (`npx pkg`, `npx pkg@^1`; a tag like `@latest` needs the registry, so not
 * then), else its cache, `<npm cache>/_npx/<key>/`, where the key is the first 16 hex digits of the
 * SHA-512 of the requested specs, sorted and joined by newlines (libnpmexec). npx installs there
 * once and, for a spec by name only, replaces the copy when the registry has a newer one; the cache
 * therefore says what the last launch ran. Only for npx and `npm exec`: other launchers keep their
 * own caches.
 */
export function npmResolved(
  spec: PackageSpec,
  command: string,
  args: readonly string[],
  runDir: string | undefined,
  where: IdentityWhere,
  fs: IdentityFs,
): ServerIdentity['resolved'] {
  const [cmd, rest] = unwrapShell(command, args);
  const name = executableName(cmd);
  const npxArgs = name === 'npx' ? rest : name === 'npm' && (rest[0] === 'exec' || rest[0] === 'x') ? rest.slice(1) : undefined;
  if (npxArgs === undefined || !NPM_NAME.test(spec.name)) return undefined;
  const fromProject = runDir !== undefined ? projectCopy(spec, runDir, fs) : undefined;
  if (fromProject) return fromProject;
  const packages = npxPackages(npxArgs);
  return packages !== undefined ? npxCacheCopy(spec.name, packages, where, fs) : undefined;
}

function projectCopy(spec: PackageSpec, runDir: string, fs: IdentityFs): ServerIdentity['resolved'] {
  const wanted = spec.version;
  if (wanted !== undefined && wanted !== '*' && parseExactVersion(wanted) === undefined && parseRange(wanted) === undefined) return undefined;
  const prefix = npmPrefix(runDir, fs);
  const copy = installedCopy(prefix, spec.name, fs);
  if (!copy) return undefined;
  if (wanted === undefined || wanted === '*') return copy;
  return (parseExactVersion(wanted) ? copy.version === wanted : satisfies(copy.version, wanted)) ? copy : undefined;
}

/** npm's project: the nearest directory, from where it starts upward, with a package.json or a node_modules. */
function npmPrefix(start: string, fs: IdentityFs): string {
  for (let dir = start; ;) {
    if (fs.stat(join(dir, 'package.json'))?.kind === 'file' || fs.stat(join(dir, 'node_modules'))?.kind === 'directory') return dir;
    const parent = resolve(dir, '..');
    if (parent === dir) return start;
    dir = parent;
  }
}

/** The specs npx installs: each `--package`/`-p`, else the first argument that is not a flag. */
function npxPackages(args: readonly string[]): string[] | undefined {
  const packages: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const inline = /^--package=(.+)$/.exec(arg);
    if (inline) packages.push(inline[1]!);
    else if (arg === '--package' || arg === '-p') {
      if (args[i + 1] !== undefined) packages.push(args[i + 1]!);
      i++;
    } else if (arg === '-c' || arg === '--call') i++;
    else if (arg === '--') return packages.length > 0 ? packages : args[i + 1] !== undefined ? [args[i + 1]!] : undefined;
    else if (!arg.startsWith('-')) return packages.length > 0 ? packages : [arg];
  }
  return packages.length > 0 ? packages : undefined;
}

function npxCacheCopy(name: string, packages: readonly string[], where: IdentityWhere, fs: IdentityFs): ServerIdentity['resolved'] {
  const sorted = [...packages].sort((a, b) => a.localeCompare(b, 'en'));
  const key = createHash('sha512').update(sorted.join('\n')).digest('hex').slice(0, 16);
  const sameSpecs = (dir: string, allowOld: boolean): boolean => {
    const manifest = readJson(fs, join(dir, 'package.json'), NpxManifest);
    if (!manifest) return false;
    if (manifest._npx) return canonicalJson([...manifest._npx.packages].sort((a, b) => a.localeCompare(b, 'en'))) === canonicalJson(sorted);
    // Before npm 9 the directory had only `dependencies`; its key is then the only evidence of what was asked.
    return allowOld && manifest.dependencies?.[name] !== undefined;
  };
  for (const cache of npmCacheDirs(where, fs)) {
    const npx = join(cache, '_npx');
    const dir = join(npx, key);
    if (sameSpecs(dir, true)) return installedCopy(dir, name, fs);
    // A directory another npm keyed differently, recognised by the specs it recorded.
    for (const entry of fs.readDir(npx).slice(0, MAX_NPX_DIRS)) {
      if (entry !== key && sameSpecs(join(npx, entry), false)) return installedCopy(join(npx, entry), name, fs);
    }
  }
  return undefined;
}

/** npm's `cache` setting: `npm_config_cache` (any case), else `cache=` in ~/.npmrc, else the default (~/.npm; %LocalAppData%\npm-cache on Windows). */
function npmCacheDirs(where: IdentityWhere, fs: IdentityFs): string[] {
  const fromEnv = Object.entries(where.env).find(([k, v]) => k.toLowerCase() === 'npm_config_cache' && v)?.[1];
  const userConfig = Object.entries(where.env).find(([k, v]) => k.toLowerCase() === 'npm_config_userconfig' && v)?.[1] ?? join(where.home, '.npmrc');
  const fromRc = /^[ \t]*cache[ \t]*=[ \t]*(.*?)[ \t]*\r?$/m.exec(fs.readText(userConfig) ?? '')?.[1];
  const configured = fromEnv ?? (fromRc !== undefined ? expandRc(fromRc, where) : undefined);
  if (configured !== undefined) return isAbsolute(configured) ? [configured] : [];
  const local = where.env['LOCALAPPDATA'];
  return local ? [join(local, 'npm-cache'), join(where.home, '.npm')] : [join(where.home, '.npm')];
}

/** An .npmrc value: quotes removed, `${VAR}` from the environment, `~/` the home. */
function expandRc(value: string, where: IdentityWhere): string {
  const unquoted = /^(["'])(.*)\1$/.exec(value)?.[2] ?? value;
  const expanded = unquoted.replace(/\$\{([^}?]+)\??\}/g, (_, v: string) => where.env[v] ?? '');
  return expanded.startsWith('~/') || expanded === '~' ? join(where.home, expanded.slice(1)) : expanded;
}

/** The version installed at `<dir>/node_modules/<name>`, with its integrity from the lock file npm wrote beside it. */
function installedCopy(dir: string, name: string, fs: IdentityFs): ServerIdentity['resolved'] {
  const manifest = readJson(fs, join(dir, 'node_modules', ...name.split('/'), 'package.json'), InstalledManifest);
  if (!manifest || manifest.name !== name) return undefined;
  for (const lockName of ['node_modules/.package-lock.json', 'package-lock.json', 'npm-shrinkwrap.json']) {
    const lock = readJson(fs, join(dir, lockName), LockFile);
    const entry = LockEntry.safeParse(lock?.packages?.[`node_modules/${name}`] ?? lock?.dependencies?.[name]);
    if (entry.success && entry.data.version === manifest.version && entry.data.integrity !== undefined) {
      return { version: manifest.version, integrity: entry.data.integrity };
    }
  }
  return { version: manifest.version };
}

function readJson<T>(fs: IdentityFs, path: string, schema: z.ZodType<T>): T | undefined {
  const text = fs.readText(path);
  if (text === undefined) return undefined;
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
