import { chmodSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkAdminOnlySync, defaultAdminOnlyOptions } from '../../main/sync/admin-only-file.js';
import { ManagedConfigReader } from '../../main/sync/managed-config.js';
import { tempDir } from '../helpers/proxy.js';
import { FULL_CONFIG, writeManaged } from './managed-config-fixtures.js';

// Tests run as root, so every file here is owned by uid 0; a non-root owner is played by telling
// the check that the administrator is another uid.
const read = (file: string, adminUid = 0) => new ManagedConfigReader({ osLocation: file, env: {}, adminOnly: { adminUid } }).readSync();
const reasonsOf = (r: ReturnType<typeof read>) => (r.state === 'refused' ? r.problems.map((p) => p.message) : []);

describe('a managed configuration a non-admin user could change is refused', () => {
  it('accepts a root-owned 0644 file in root-owned directories', () => {
    expect(read(writeManaged(FULL_CONFIG, 0o644)).state).toBe('ok');
  });

  it.each([
    [0o664, 'its group'],
    [0o666, 'its group and others'],
    [0o646, 'others'],
  ])('refuses mode %s (writable by %s), naming the file, the mode and the fix', (mode, who) => {
    const file = writeManaged(FULL_CONFIG, mode);
    const r = read(file);
    expect(r.state).toBe('refused');
    expect(reasonsOf(r)).toEqual([
      `refused: a user who is not an administrator could change it: file ${file} is writable by ${who} (mode 0${mode.toString(8)}): run \`chmod go-w ${file}\` as root`,
    ]);
  });

  it('refuses a file in a directory its group may write, even when the file itself is 0644', () => {
    const dir = tempDir('mcp-guard-dir-');
    const file = writeManaged(FULL_CONFIG, 0o644, 'managed.json', join(dir, 'mcp-guard'));
    chmodSync(join(dir, 'mcp-guard'), 0o775);
    expect(reasonsOf(read(file))).toEqual([expect.stringContaining(`directory ${join(dir, 'mcp-guard')} is writable by its group (mode 0775)`)]);
  });

  it('refuses a file owned by a user who is not the administrator, and every directory so owned above it', () => {
    const file = writeManaged(FULL_CONFIG, 0o644);
    const reasons = reasonsOf(read(file, 1234));
    expect(reasons[0]).toBe(
      `refused: a user who is not an administrator could change it: file ${file} is owned by uid 0, not the administrator (uid 1234): run \`chown 1234 ${file}\` as root`,
    );
    expect(reasons).toContainEqual(expect.stringContaining('directory / is owned by uid 0, not the administrator (uid 1234)'));
  });

  it('refuses a file whose contents are valid but whose mode is not, without reading it as in force', () => {
    const r = read(writeManaged({ ...FULL_CONFIG, lockEnvironmentOverrides: true }, 0o666));
    expect(r.state).toBe('refused');
    expect('config' in r).toBe(false);
  });

  it('refuses an admin-only symlink that points at a file others may write', () => {
    const target = writeManaged(FULL_CONFIG, 0o666);
    const link = join(tempDir('mcp-guard-link-'), 'managed.json');
    symlinkSync(target, link);
    expect(reasonsOf(read(link))).toEqual([expect.stringContaining(`file ${target} is writable by its group and others`)]);
  });

  it('accepts a sticky directory that others may write (/tmp): they cannot replace an entry root owns', () => {
    const dir = join(tempDir('mcp-guard-sticky-'), 'drop');
    mkdirSync(dir);
    chmodSync(dir, 0o1777);
    const file = writeManaged(FULL_CONFIG, 0o644, 'managed.json', dir);
    expect(read(file).state).toBe('ok');
    chmodSync(dir, 0o777);
    expect(reasonsOf(read(file))).toEqual([expect.stringContaining(`directory ${dir} is writable by its group and others (mode 0777)`)]);
  });

  it('checks an override file just as strictly as the OS location', () => {
    const override = writeManaged(FULL_CONFIG, 0o666);
    const none = join(tempDir('mcp-guard-none-'), 'managed.json');
    const r = new ManagedConfigReader({ osLocation: none, env: { MCP_GUARD_MANAGED_CONFIG: override }, adminOnly: { adminUid: 0 } }).readSync();
    expect(r).toMatchObject({ state: 'refused', source: { from: 'override', file: override } });
  });

  it('says that Windows ACLs are not checked yet rather than claiming the file is admin-only', () => {
    const verdict = checkAdminOnlySync(writeManaged(FULL_CONFIG, 0o666), { ...defaultAdminOnlyOptions(), platform: 'win32' });
    expect(verdict).toEqual({ state: 'not-checked', note: expect.stringMatching(/not checked on Windows yet/) });
  });

  it('fails closed when the owner cannot be checked', () => {
    const file = writeManaged(FULL_CONFIG, 0o644);
    const lstat = () => {
      throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    };
    const r = new ManagedConfigReader({ osLocation: file, env: {}, adminOnly: { lstat } }).readSync();
    expect(r).toMatchObject({ state: 'refused', problems: [{ file, message: expect.stringMatching(/cannot check who may write it \(EACCES/) }] });
  });
});
