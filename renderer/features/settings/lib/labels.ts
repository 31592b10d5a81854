import type { SettingSource } from '../../../../shared/settings.js';

/** Where a value in force comes from, in words. */
export function sourceText(source: SettingSource, file: string | undefined): string {
  switch (source) {
    case 'managed':
      return `Set by managed policy${file ? ` (${file})` : ''}`;
    case 'user':
      return `Set in your policy${file ? ` (${file})` : ''}`;
    case 'default':
      return 'The built-in default';
  }
}
