/** Every client the guard knows, in the order `status` lists them. */
import type { ClientAdapter } from './client-adapter.js';
import { ClaudeCodeAdapter } from './claude-code.js';
import { ClaudeDesktopAdapter } from './claude-desktop.js';
import { CodexAdapter } from './codex.js';
import { CursorAdapter } from './cursor.js';
import { GeminiCliAdapter } from './gemini-cli.js';
import { VscodeAdapter } from './vscode.js';
import { WindsurfAdapter } from './windsurf.js';
import { ZedAdapter } from './zed.js';

export function allAdapters(): ClientAdapter[] {
  return [
    new ClaudeCodeAdapter(),
    new ClaudeDesktopAdapter(),
    new CursorAdapter(),
    new VscodeAdapter(),
    new WindsurfAdapter(),
    new CodexAdapter(),
    new GeminiCliAdapter(),
    new ZedAdapter(),
  ];
}
