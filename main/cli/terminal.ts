/**
 * The terminal a command talks to, and the confirmation that only a person at one can give: an
 * agent can run the CLI, but not type into a TTY it does not have. (The approval prompt in the app
 * replaces this for approvals.)
 */
import { createInterface } from 'node:readline/promises';

/** The terminal the command talks to; `ask` reads one line typed by the user. */
export type TerminalIo = {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
  env: NodeJS.ProcessEnv;
  interactive: boolean;
  ask(question: string): Promise<string>;
};

export function processIo(): TerminalIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    interactive: process.stdin.isTTY === true && process.stdout.isTTY === true,
    ask: async (question) => {
      const rl = createInterface({ input: process.stdin, output: process.stdout });
      try {
        return await rl.question(question);
      } finally {
        rl.close();
      }
    },
  };
}

/** Approvals come only from a person at a terminal: an agent can run this CLI, but not type into a TTY it does not have. */
export async function confirmed(io: TerminalIo, action: string, word: string): Promise<boolean> {
  if (!io.interactive) {
    io.stderr.write(
      `mcp-guard: refusing to ${action}: stdin is not an interactive terminal. Run this command yourself in a terminal; programs and agents cannot approve.\n`,
    );
    return false;
  }
  const answer = await io.ask(`To ${action}, type "${word}": `);
  if (answer.trim() === word) return true;
  io.stderr.write('mcp-guard: not confirmed; nothing changed\n');
  return false;
}
