import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';

/** A random id for this machine's guard, made once and kept beside its data (it names the device in audit events). */
export function deviceIdSync(file: string): string {
  try {
    const id = readFileSync(file, 'utf8').trim();
    if (/^[0-9a-f-]{36}$/.test(id)) return id;
  } catch {
    // first start
  }
  const id = randomUUID();
  writeFileSync(file, id + '\n', { mode: 0o600 });
  return id;
}
