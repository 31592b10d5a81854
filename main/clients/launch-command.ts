/** How a launch line names its program, across the ways configs write it (paths, Windows suffixes, `cmd /c`). */

/** `cmd /c npx …` (how Windows configs start a .cmd launcher) is the launch after `/c`. */
export function unwrapShell(command: string, args: readonly string[]): [string, readonly string[]] {
  if (executableName(command) === 'cmd' && /^\/c$/i.test(args[0] ?? '') && args[1] !== undefined) return [args[1], args.slice(2)];
  return [command, args];
}

/** `C:\\Program Files\\nodejs\\npx.cmd` → `npx`: a program's name, as launch rules compare it. */
export function executableName(command: string): string {
  return command
    .replace(/^.*[/\\]/, '')
    .replace(/\.(exe|cmd|bat)$/i, '')
    .toLowerCase();
}
