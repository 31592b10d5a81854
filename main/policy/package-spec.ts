import { Glob } from './glob.js';
import { parseExactVersion, parseRange, satisfies } from './semver-range.js';

/** A package a server runs from: `npm:@scope/name@1.2.3`, `pypi:name==1.0`, `oci:ghcr.io/o/img@sha256:…`. */
export type PackageSpec = { ecosystem: 'npm' | 'pypi' | 'oci'; name: string; version: string | undefined };

export function parsePackageSpec(text: string): PackageSpec | undefined {
  const colon = text.indexOf(':');
  const ecosystem = text.slice(0, colon);
  const rest = text.slice(colon + 1);
  if (!rest) return undefined;
  switch (ecosystem) {
    case 'npm': {
      const at = rest.indexOf('@', rest.startsWith('@') ? 1 : 0);
      return at < 0 ? { ecosystem, name: rest, version: undefined } : { ecosystem, name: rest.slice(0, at), version: rest.slice(at + 1) || undefined };
    }
    case 'pypi': {
      const m = /^([^=@<>~!\s]+)\s*(?:==|@)?\s*(.*)$/.exec(rest);
      return m ? { ecosystem, name: m[1]!.toLowerCase(), version: m[2] || undefined } : undefined;
    }
    case 'oci': {
      const digest = rest.indexOf('@');
      const beforeDigest = digest < 0 ? rest : rest.slice(0, digest);
      const tagColon = beforeDigest.lastIndexOf(':');
      const hasTag = tagColon > beforeDigest.lastIndexOf('/');
      const name = hasTag ? beforeDigest.slice(0, tagColon) : beforeDigest;
      const version = digest >= 0 ? rest.slice(digest + 1) : hasTag ? beforeDigest.slice(tagColon + 1) : undefined;
      return { ecosystem, name, version };
    }
    default:
      return undefined;
  }
}

/** Whether the launch names one exact build: npm x.y.z, pypi ==x.y.z, an OCI digest. */
export function isPinned(spec: PackageSpec): boolean {
  if (spec.version === undefined) return false;
  switch (spec.ecosystem) {
    case 'npm':
      return parseExactVersion(spec.version) !== undefined;
    case 'pypi':
      return /^\d+(\.\d+)*([a-z0-9.+]*)$/i.test(spec.version);
    case 'oci':
      return /^sha256:[0-9a-f]{64}$/.test(spec.version);
  }
}

/** A package pattern from a server rule, compiled once. */
export class PackageMatcher {
  private readonly name: Glob;
  private readonly version: string | undefined;
  private readonly versionGlob: Glob | undefined;

  constructor(private readonly pattern: PackageSpec) {
    this.name = new Glob(pattern.name, pattern.ecosystem === 'pypi');
    this.version = pattern.version;
    const isRange = pattern.ecosystem === 'npm' && pattern.version !== undefined && parseRange(pattern.version) !== undefined;
    this.versionGlob = pattern.version !== undefined && !isRange ? new Glob(pattern.version) : undefined;
  }

  /**
   * `conservative`: an unpinned launch matches any version range (it may resolve to any version);
   * used for deny/ask rules. Allow rules pass false, so only a provably matching version counts.
   */
  matches(launch: PackageSpec, conservative: boolean): boolean {
    if (launch.ecosystem !== this.pattern.ecosystem || !this.name.test(launch.name)) return false;
    if (this.version === undefined || this.version === '*') return true;
    if (this.versionGlob) return launch.version !== undefined ? this.versionGlob.test(launch.version) : conservative;
    if (launch.version === undefined || parseExactVersion(launch.version) === undefined) return conservative;
    return satisfies(launch.version, this.version);
  }
}

const LAUNCHERS: readonly { command: string; sub?: string; ecosystem: PackageSpec['ecosystem'] }[] = [
  { command: 'npx', ecosystem: 'npm' },
  { command: 'bunx', ecosystem: 'npm' },
  { command: 'pnpx', ecosystem: 'npm' },
  { command: 'pnpm', sub: 'dlx', ecosystem: 'npm' },
  { command: 'yarn', sub: 'dlx', ecosystem: 'npm' },
  { command: 'npm', sub: 'exec', ecosystem: 'npm' },
  { command: 'npm', sub: 'x', ecosystem: 'npm' },
  { command: 'bun', sub: 'x', ecosystem: 'npm' },
  { command: 'uvx', ecosystem: 'pypi' },
  { command: 'pipx', sub: 'run', ecosystem: 'pypi' },
  { command: 'docker', sub: 'run', ecosystem: 'oci' },
  { command: 'podman', sub: 'run', ecosystem: 'oci' },
];
const VALUED_DOCKER_FLAGS = new Set([
  '-e',
  '--env',
  '-v',
  '--volume',
  '-p',
  '--publish',
  '--name',
  '--network',
  '-w',
  '--workdir',
  '--mount',
  '--entrypoint',
  '-u',
  '--user',
  '-l',
  '--label',
  '--env-file',
  '--platform',
  '--pull',
]);

/**
 * The package a stdio launch runs, for launches through npx/bunx/pnpm dlx, uvx/pipx and docker/podman
 * run; also behind `cmd /c`, which Windows configs need to start a `.cmd` launcher like npx.
 */
export function packageFromLaunch(command: string, args: readonly string[]): string | undefined {
  const base = command.replace(/^.*[/\\]/, '').replace(/\.(cmd|exe)$/i, '');
  if (base.toLowerCase() === 'cmd' && /^\/c$/i.test(args[0] ?? '') && args[1] !== undefined) return packageFromLaunch(args[1], args.slice(2));
  const launcher = LAUNCHERS.find((l) => l.command === base && (l.sub === undefined || args[0] === l.sub));
  if (!launcher) return undefined;
  const ecosystem = launcher.ecosystem;
  const rest = launcher.sub === undefined ? args : args.slice(1);
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (arg === '--') continue;
    const inline = /^--(?:package|from)=(.+)$/.exec(arg);
    if (inline) return `${ecosystem}:${inline[1]}`;
    if (arg === '--package' || arg === '-p' || arg === '--from') {
      if (ecosystem !== 'oci' && rest[i + 1]) return `${ecosystem}:${rest[i + 1]}`;
      i++;
      continue;
    }
    if (arg.startsWith('-')) {
      if (ecosystem === 'oci' && VALUED_DOCKER_FLAGS.has(arg)) i++;
      continue;
    }
    return `${ecosystem}:${arg}`;
  }
  return undefined;
}
