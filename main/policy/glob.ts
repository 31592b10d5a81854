/** `*` wildcard globs (the only wildcard in policy names, tool patterns, URLs and commands). */
export function globToRegExp(glob: string, flags = ''): RegExp {
  const body = glob
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`, flags);
}

export function hasWildcard(pattern: string): boolean {
  return pattern.includes('*');
}

/** A compiled glob: exact comparison when there is no wildcard, a RegExp otherwise. */
export class Glob {
  private readonly regexp: RegExp | undefined;

  constructor(
    readonly source: string,
    private readonly ignoreCase = false,
  ) {
    this.regexp = hasWildcard(source) ? globToRegExp(source, ignoreCase ? 'i' : '') : undefined;
  }

  test(value: string): boolean {
    if (this.regexp) return this.regexp.test(value);
    return this.ignoreCase ? value.toLowerCase() === this.source.toLowerCase() : value === this.source;
  }
}
