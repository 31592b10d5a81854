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

const timeFormat = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });

/** An ISO time from the service, in the reader's locale; the text as it came when it does not parse. */
export function formatIsoTime(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : timeFormat.format(ms);
}

export const FETCH_OUTCOME_TEXT = {
  applied: 'a new version verified and applied',
  unchanged: 'unchanged (the host said 304 or sent the same bundle)',
  refused: 'refused; the version in force was kept',
  unreachable: 'failed; the version in force was kept',
} as const;
