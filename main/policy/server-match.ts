import type { ServerMatch } from '../../shared/policy.js';
import { Glob } from './glob.js';
import { PackageMatcher, isPinned, packageFromLaunch, parsePackageSpec, type PackageSpec } from './package-spec.js';

/** What the guard knows of a server it launches or connects to. */
export type ServerIdentity = {
  name: string;
  command?: string;
  args?: readonly string[];
  url?: string;
  /** `npm:@scope/name@1.2.3` etc.; derived from command and args (npx, uvx, docker run…) when absent. */
  package?: string;
  /** SHA-256 (hex) of the server's executable. */
  sha256?: string;
};

/** The identity with what matching needs computed once. */
export type ResolvedServer = { identity: ServerIdentity; argv: readonly string[] | undefined; commandLine: string | undefined; pkg: PackageSpec | undefined };

export function resolveServer(identity: ServerIdentity): ResolvedServer {
  const argv = identity.command !== undefined ? [identity.command, ...(identity.args ?? [])] : undefined;
  const pkgText = identity.package ?? (identity.command !== undefined ? packageFromLaunch(identity.command, identity.args ?? []) : undefined);
  return { identity, argv, commandLine: argv?.join(' '), pkg: pkgText !== undefined ? parsePackageSpec(pkgText) : undefined };
}

/** A server rule's `match`, compiled once; every field given must match. */
export class ServerMatcher {
  private readonly name: Glob | undefined;
  private readonly commandExact: readonly string[] | undefined;
  private readonly commandGlob: Glob | undefined;
  private readonly pkg: PackageMatcher | undefined;
  private readonly url: Glob | undefined;

  constructor(
    private readonly match: ServerMatch,
    /** Deny and ask rules match conservatively: an unpinned launch may resolve to any version. */
    private readonly conservative: boolean,
  ) {
    this.name = match.name !== undefined ? new Glob(match.name) : undefined;
    this.commandExact = Array.isArray(match.command) ? match.command : undefined;
    this.commandGlob = typeof match.command === 'string' ? new Glob(match.command) : undefined;
    const spec = match.package !== undefined ? parsePackageSpec(match.package) : undefined;
    this.pkg = spec ? new PackageMatcher(spec) : undefined;
    this.url = match.url !== undefined ? new Glob(match.url) : undefined;
  }

  matches(server: ResolvedServer): boolean {
    const { identity } = server;
    if (this.name && !this.name.test(identity.name)) return false;
    if (this.commandExact) {
      const argv = server.argv;
      if (!argv || argv.length !== this.commandExact.length || argv.some((a, i) => a !== this.commandExact![i])) return false;
    }
    if (this.commandGlob && (server.commandLine === undefined || !this.commandGlob.test(server.commandLine))) return false;
    if (this.match.package !== undefined) {
      if (!this.pkg || !server.pkg || !this.pkg.matches(server.pkg, this.conservative)) return false;
      if (this.match.pinned !== undefined && isPinned(server.pkg) !== this.match.pinned) return false;
    }
    if (this.url && (identity.url === undefined || !this.url.test(identity.url))) return false;
    if (this.match.sha256 !== undefined && identity.sha256?.toLowerCase() !== this.match.sha256.toLowerCase()) return false;
    return true;
  }
}
