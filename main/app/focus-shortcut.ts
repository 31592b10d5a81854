import { globalShortcut } from 'electron';
import type { Logger } from '../common/logger.js';

/** "Focus MCP Guard" from anywhere: the keyboard way to reach a prompt that appeared without taking focus. */
export const FOCUS_SHORTCUT = 'CommandOrControl+Alt+G';

/**
 * Registers the global shortcut (after the app is ready); returns the function that releases it,
 * for will-quit. Another app may hold the combination already: then the app works without it, and
 * the log says so.
 */
export function registerFocusShortcut(onPress: () => void, logger: Logger, accelerator = FOCUS_SHORTCUT): () => void {
  let registered = false;
  try {
    registered = globalShortcut.register(accelerator, onPress);
  } catch (error) {
    logger.log('warn', 'the focus shortcut is not valid here', { accelerator, error: error instanceof Error ? error.message : String(error) });
  }
  if (!registered) {
    logger.log('warn', `${accelerator} is taken by another app; focus MCP Guard from its tray icon instead`, { accelerator });
    return () => undefined;
  }
  return () => globalShortcut.unregister(accelerator);
}
