import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManagedConfigReader } from '../../main/sync/managed-config.js';
import { tempDir } from '../helpers/proxy.js';
import { FULL_CONFIG, writeManaged } from './managed-config-fixtures.js';

const missing = () => join(tempDir('mcp-guard-none-'), 'managed.json');
const read = (osLocation: string, override?: string) =>
  new ManagedConfigReader({ osLocation, env: override === undefined ? {} : { MCP_GUARD_MANAGED_CONFIG: override } }).readSync();

describe('which managed configuration is in force', () => {
  it('is absent when neither the OS location nor an override has a file', () => {
    expect(read(missing())).toMatchObject({ state: 'absent', source: { from: 'os-location', notes: [] } });
  });

  it('reads the file at the OS location', () => {
    const os = writeManaged(FULL_CONFIG);
    expect(read(os)).toMatchObject({ state: 'ok', source: { file: os, from: 'os-location' }, config: { whenUnavailable: 'lock-down' } });
  });

  it('honours MCP_GUARD_MANAGED_CONFIG when nothing is at the OS location', () => {
    const override = writeManaged({ version: 1, locked: { allowAlways: false } });
    const r = read(missing(), override);
    expect(r).toMatchObject({ state: 'ok', source: { file: override, from: 'override' }, config: { locked: { allowAlways: false } } });
    expect(r.source.overrideIgnored).toBeUndefined();
  });

  it('honours the override over an OS file that does not lock environment overrides', () => {
    const os = writeManaged({ version: 1, locked: { allowAlways: true } });
    const override = writeManaged({ version: 1, locked: { allowAlways: false } });
    expect(read(os, override)).toMatchObject({
      state: 'ok',
      source: { file: override, from: 'override', osLocation: os },
      config: { locked: { allowAlways: false } },
    });
  });

  it('ignores the override when the OS file sets lockEnvironmentOverrides, and says why', () => {
    const os = writeManaged({ ...FULL_CONFIG, lockEnvironmentOverrides: true });
    const override = writeManaged({ version: 1 });
    const r = read(os, override);
    expect(r).toMatchObject({ state: 'ok', source: { file: os, from: 'os-location' }, config: { lockEnvironmentOverrides: true } });
    expect(r.source.overrideIgnored).toEqual({ path: override, reason: `the managed configuration at ${os} sets lockEnvironmentOverrides: true` });
  });

  it('ignores the override when the OS file is refused: a broken IT file is never replaced by a user-chosen one', () => {
    const os = writeManaged({ version: 1, lockEnvironmentOverrides: true, locked: { maxGrant: 'forever' } });
    const override = writeManaged({ version: 1 });
    const r = read(os, override);
    expect(r).toMatchObject({
      state: 'refused',
      source: { file: os, from: 'os-location', overrideIgnored: { path: override, reason: expect.stringMatching(/is refused/) } },
    });
    expect(r.state === 'refused' && r.problems).toEqual([
      { file: os, path: 'locked.maxGrant', message: expect.stringMatching(/ISO 8601 duration .*found "forever"/) },
    ]);
  });

  it('reports a file that is not JSON, and one over the size cap, as refused', () => {
    expect(read(writeManaged('{ "version": 1,'))).toMatchObject({
      state: 'refused',
      problems: [{ path: '(root)', message: expect.stringMatching(/not valid JSON/) }],
    });
    expect(read(writeManaged(' '.repeat(300 * 1024)))).toMatchObject({
      state: 'refused',
      problems: [{ path: '(root)', message: expect.stringMatching(/over the 256\.0 KiB|over the 0\.3 MiB|cap/) }],
    });
  });

  it('reports a directory at the path as refused, not as absent', () => {
    const dir = tempDir('mcp-guard-dir-');
    expect(read(dir)).toMatchObject({ state: 'refused', problems: [{ path: '(root)', message: expect.stringMatching(/not a regular file/) }] });
  });

  it('uses the OS location of managed policy by default, and says what of the OS is not read yet', () => {
    const at = (platform: NodeJS.Platform) => new ManagedConfigReader({ env: { ProgramData: 'D:\\PD' }, adminOnly: { platform } }).readSync().source;
    expect(at('linux')).toMatchObject({ osLocation: '/etc/mcp-guard/managed.json', notes: [] });
    expect(at('darwin')).toMatchObject({
      osLocation: '/Library/Application Support/MCP Guard/managed.json',
      notes: [expect.stringMatching(/plist is not read yet/)],
    });
    expect(at('win32').osLocation).toMatch(/^D:\\PD.MCP Guard.managed\.json$/);
    expect(at('win32').notes).toEqual([expect.stringMatching(/registry key is not read yet/), expect.stringMatching(/not checked on Windows yet/)]);
  });
});
