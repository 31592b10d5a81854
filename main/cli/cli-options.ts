/**
 * What the commands that parse `--name value` options share: where they write (injectable for
 * tests), the usage error that makes them print their usage and exit 2, and the option parser.
 */

/** Where a command writes and what it reads; `cliIo()` is the process's own. */
export type CliIo = { stdout: { write(s: string): unknown }; stderr: { write(s: string): unknown }; env: NodeJS.ProcessEnv };

export const cliIo = (): CliIo => ({ stdout: process.stdout, stderr: process.stderr, env: process.env });

/** A command line the command cannot run: it prints the message and its usage, and exits 2. */
export class UsageError extends Error {}

/**
 * `--name value` and `--switch` options (each name in `known`, as a value or a switch: a switch's
 * value is 'true'), and the positional arguments between them, in order.
 */
export function flags(args: readonly string[], known: Record<string, 'value' | 'switch'>): { values: Map<string, string>; positional: string[] } {
  const values = new Map<string, string>();
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const kind = Object.hasOwn(known, arg) ? known[arg] : undefined;
    if (!kind) throw new UsageError(`unknown option ${arg}`);
    if (kind === 'switch') values.set(arg, 'true');
    else {
      const value = args[++i];
      if (value === undefined) throw new UsageError(`${arg} needs a value`);
      values.set(arg, value);
    }
  }
  return { values, positional };
}
