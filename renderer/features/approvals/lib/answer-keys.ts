/**
 * The prompt's keyboard shortcuts. Anything that allows needs Alt, so no single key typed into the
 * wrong window approves a call; plain "D" denies. Letters are read from `key` (the layout's letter)
 * and, when Alt turns it into another character (macOS: Alt+O is "ø"), from the physical key.
 */
export type ShortcutAction = 'deny' | 'allow-once' | 'allow-session' | 'allow-15' | 'allow-60' | 'allow-always';

/** The aria-keyshortcuts value and the hint each button shows. */
export const SHORTCUTS: Record<ShortcutAction, string> = {
  deny: 'D',
  'allow-once': 'Alt+O',
  'allow-session': 'Alt+S',
  'allow-15': 'Alt+1',
  'allow-60': 'Alt+H',
  'allow-always': 'Alt+A',
};

const ALT_KEYS: Record<string, ShortcutAction> = { o: 'allow-once', s: 'allow-session', '1': 'allow-15', h: 'allow-60', a: 'allow-always' };

export interface KeyLike {
  readonly key: string;
  readonly code: string;
  readonly altKey: boolean;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly shiftKey: boolean;
}

export function shortcutOf(e: KeyLike): ShortcutAction | undefined {
  if (e.ctrlKey || e.metaKey) return undefined;
  const ch = keyChar(e);
  // "D" and Shift+D (or Caps Lock) deny: denying is never the harmful mistake.
  if (!e.altKey) return ch === 'd' ? 'deny' : undefined;
  return ch === undefined || e.shiftKey ? undefined : ALT_KEYS[ch];
}

function keyChar(e: KeyLike): string | undefined {
  if (/^[a-z0-9]$/i.test(e.key)) return e.key.toLowerCase();
  const physical = /^(?:Key([A-Z])|Digit([0-9]))$/.exec(e.code);
  return physical ? (physical[1] ?? physical[2])!.toLowerCase() : undefined;
}
