/**
 * The Policy page's channels on a real running guard (its policy store, files on disk, the built
 * CLI for comparison): edits reach only the user file, only at the revision the page loaded, only
 * when they validate; a managed rule is refused by name; check, explain and the Claude Code import
 * give exactly what `mcp-guard policy check / explain --json / import-claude` give.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ipcChannels, parseOrThrow, type IpcArgs, type IpcChannel, type IpcResult } from '../../shared/ipc.js';
import { guardUi } from '../../main/ipc/ipc-handlers.js';
import type { IpcHandlers } from '../../main/ipc/handle.js';
import { startGuard, type RunningGuard } from '../../main/service/start-guard.js';
import { cliPath } from '../helpers/paths.js';
import { guardEnv, guardHomeWith, tempDir } from '../helpers/proxy.js';
import { until } from '../helpers/service.js';

const USER = {
  version: 1,
  defaults: { tools: 'allow' },
  rules: [{ id: 'fs-writes', tool: 'mcp__fs__write_file', action: 'ask', reason: 'writes need a look' }],
};
const MANAGED = {
  version: 1,
  defaults: { promptTimeoutSeconds: 30 },
  rules: [{ id: 'no-deletes', tool: 'mcp__*__delete_*', action: 'deny', reason: 'IT: nothing deletes', allowGrants: false }],
};

let home: string;
let userHome: string;
let managedFile: string;
let guard: RunningGuard;
let handlers: IpcHandlers;
let stopEvents: () => void;
const policyEvents: unknown[] = [];

/** A channel as the bridge runs it: arguments and result parsed against the contract. */
async function invoke<C extends IpcChannel>(channel: C, ...args: IpcArgs<C>): Promise<IpcResult<C>> {
  const spec = ipcChannels[channel];
  const parsed = parseOrThrow(spec.args, args, `${channel} arguments`) as IpcArgs<C>;
  const handler = handlers[channel] as (...a: IpcArgs<C>) => unknown;
  return parseOrThrow(spec.result, await handler(...parsed), `${channel} result`) as IpcResult<C>;
}

const userFile = () => join(home, 'policy.json');
const onDisk = () => JSON.parse(readFileSync(userFile(), 'utf8')) as typeof USER;
const cliEnv = () => guardEnv(home, { MCP_GUARD_MANAGED_POLICY: managedFile, HOME: userHome });
const cli = (...args: string[]) => spawnSync(process.execPath, [cliPath, 'policy', ...args], { env: cliEnv(), encoding: 'utf8' });

beforeAll(async () => {
  home = guardHomeWith(USER);
  userHome = tempDir('mcp-guard-policy-user-');
  managedFile = join(tempDir('mcp-guard-managed-'), 'managed.json');
  writeFileSync(managedFile, JSON.stringify(MANAGED));
  guard = await startGuard({ home, log: { log: () => undefined }, managedPolicy: managedFile, deviceId: 'test-device' });
  const ui = guardUi(guard, { version: 'test', log: { log: () => undefined }, env: { HOME: userHome }, launcher: undefined });
  handlers = ui.handlers;
  stopEvents = ui.events.policy.onDidChange((change) => policyEvents.push(change));
});

afterAll(async () => {
  stopEvents?.();
  await guard?.stop();
});

describe('the Policy page edits only the user layer', () => {
  it('shows every rule and default with its source, managed ones locked and naming their file', async () => {
    const view = await invoke('policy:view');
    expect(view.rules.map((r) => [r.source, r.rule.id, r.locked, r.file])).toEqual([
      ['managed', 'no-deletes', true, managedFile],
      ['user', 'fs-writes', false, userFile()],
    ]);
    expect(view.defaults.find((d) => d.name === 'promptTimeoutSeconds')).toEqual({
      name: 'promptTimeoutSeconds',
      value: '30 seconds',
      source: 'managed',
      locked: true,
    });
    expect(view.defaults.find((d) => d.name === 'tools')).toMatchObject({ value: 'allow', source: 'user', locked: false });
    expect(view.layers.map((l) => [l.source, l.present, l.locked])).toEqual([
      ['managed', true, true],
      ['user', true, false],
    ]);
    expect(view.revision).toMatch(/^[0-9a-f]{64}$/);
  });

  it('checks a rule with the CLI’s paths and messages for the document it makes', async () => {
    const bad = JSON.stringify({ id: 'gh', tool: 'github_create_issue', action: 'sometimes' });
    const checked = await invoke('policy:check', { kind: 'rule', edit: { list: 'rules', text: bad } });
    expect(checked.at).toBe('rules[1]');
    const document = join(tempDir(), 'candidate.json');
    writeFileSync(document, JSON.stringify({ ...onDisk(), rules: [...onDisk().rules, JSON.parse(bad)] }));
    const printed = cli('check', document).stderr.trim().split('\n');
    expect(checked.problems.map((p) => `mcp-guard: policy file ${document}: ${p.path}: ${p.message}`)).toEqual(printed);
    expect(printed.length).toBe(2);
  });

  it('saves a valid rule into the file on disk, then refuses a save from the older revision', async () => {
    const before = await invoke('policy:view');
    const rule = { id: 'gh-read', tool: 'mcp__github__get_*', action: 'allow' };
    const saved = await invoke('policy:save-rule', before.revision, { list: 'rules', text: JSON.stringify(rule) });
    expect(saved).toMatchObject({ ok: true, file: userFile() });
    expect(onDisk().rules).toEqual([...USER.rules, rule]);
    expect(onDisk().defaults).toEqual(USER.defaults);

    const stale = await invoke('policy:save-rule', before.revision, { list: 'rules', text: JSON.stringify({ ...rule, id: 'other' }) });
    expect(stale).toMatchObject({ ok: false, reason: expect.stringMatching(/changed since this page loaded it/) });
    expect(onDisk().rules.map((r) => r.id)).toEqual(['fs-writes', 'gh-read']);
    // The service hears of the save (proxies, status, audit): the page gets `policy:changed`.
    await until(() => (policyEvents.length > 0 ? true : undefined), 5_000, 'policy:changed');
  });

  it('refuses to edit or delete a managed rule, naming the file that sets it', async () => {
    const { revision } = await invoke('policy:view');
    const edit = await invoke('policy:save-rule', revision, {
      list: 'rules',
      replaces: 'no-deletes',
      text: JSON.stringify({ ...MANAGED.rules[0], action: 'allow' }),
    });
    expect(edit).toEqual({ ok: false, reason: `rule "no-deletes" is managed — set by ${managedFile}; it cannot be changed here`, problems: [] });
    const removed = await invoke('policy:delete-rule', revision, { list: 'rules', id: 'no-deletes' });
    expect(removed).toMatchObject({ ok: false, reason: expect.stringMatching(/is managed — set by/) });
    expect(JSON.parse(readFileSync(managedFile, 'utf8'))).toEqual(MANAGED);
  });

  it('refuses a rule that would not validate, and writes nothing', async () => {
    const { revision } = await invoke('policy:view');
    const text = readFileSync(userFile(), 'utf8');
    const refused = await invoke('policy:save-rule', revision, { list: 'rules', replaces: 'gh-read', text: '{"id": "gh-read", "tool": "mcp__github__get_*"}' });
    expect(refused).toMatchObject({ ok: false, problems: [{ path: 'rules[1].action', message: 'required, and missing' }] });
    expect(readFileSync(userFile(), 'utf8')).toBe(text);
  });

  it('deletes a user rule, and fixes a broken file through the whole-file editor', async () => {
    const { revision } = await invoke('policy:view');
    expect(await invoke('policy:delete-rule', revision, { list: 'rules', id: 'gh-read' })).toMatchObject({ ok: true });
    expect(onDisk().rules.map((r) => r.id)).toEqual(['fs-writes']);

    writeFileSync(userFile(), '{"version": 1, "rules": [{"id": "x", "tool": "mcp__a__b", "action": "maybe"}]}');
    const broken = await invoke('policy:user-file');
    const view = await invoke('policy:view');
    expect(view.problems.map((p) => `${p.path}`)).toEqual(['rules[0].action']);
    expect(await invoke('policy:check', { kind: 'rule', edit: { list: 'rules', text: '{}' } })).toMatchObject({ fileProblems: [{ path: 'rules[0].action' }] });
    const fixed = JSON.stringify(USER, null, 2);
    expect(await invoke('policy:save-document', broken.revision, '{"version": 2}')).toMatchObject({ ok: false, problems: [{ path: 'version' }] });
    expect(await invoke('policy:save-document', broken.revision, fixed)).toMatchObject({ ok: true });
    expect(readFileSync(userFile(), 'utf8')).toBe(fixed);
    expect((await invoke('policy:view')).problems).toEqual([]);
  });

  it('creates the user file with the first rule when there is none yet', async () => {
    const saved = readFileSync(userFile(), 'utf8');
    rmSync(userFile());
    try {
      const view = await invoke('policy:view');
      expect(view.revision).toBe('absent');
      expect(view.layers.find((l) => l.source === 'user')?.present).toBe(false);
      const rule = { id: 'first', tool: 'mcp__fs__*', action: 'ask' };
      expect(await invoke('policy:save-rule', 'absent', { list: 'rules', text: JSON.stringify(rule) })).toMatchObject({ ok: true });
      expect(onDisk()).toEqual({ version: 1, rules: [rule] });
    } finally {
      writeFileSync(userFile(), saved);
    }
  });

  it('explains a call exactly as `mcp-guard policy explain --json` does', async () => {
    for (const call of [
      { server: 'fs', tool: 'write_file', arguments: '{"path": "/tmp/a", "content": "x"}', client: 'claude-code' },
      { server: 'fs', tool: 'mcp__fs__delete_file' },
      { server: 'github', tool: 'get_issue' },
    ]) {
      const page = await invoke('policy:explain', call);
      const args = ['explain', '--server', call.server, '--tool', call.tool, '--json'];
      if (call.arguments) args.push('--args', call.arguments);
      if (call.client) args.push('--client', call.client);
      const printed = execFileSync(process.execPath, [cliPath, 'policy', ...args], { env: cliEnv(), encoding: 'utf8' });
      expect(page).toEqual({ ok: true, explanation: JSON.parse(printed), problems: [] });
    }
    expect(await invoke('policy:explain', { server: 'fs', tool: 'x', arguments: '{nope' })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/not valid JSON/),
    });
  });

  it('previews a Claude Code import, applies exactly it (as import-claude writes it), and refuses a stale preview', async () => {
    const settings = join(userHome, '.claude', 'settings.json');
    mkdirSync(join(userHome, '.claude'), { recursive: true });
    const permissions = { allow: ['mcp__github__get_issue', 'Bash(ls)'], deny: ['mcp__github__*'], ask: ['mcp__fs__move_file'] };
    writeFileSync(settings, JSON.stringify({ permissions }));
    const sources = await invoke('policy:import-sources');
    expect(sources[0]).toMatchObject({ path: settings, exists: true });
    expect(await invoke('policy:import-preview', { kind: 'file', path: join(home, 'policy.json') })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/not one of the settings files/),
    });

    const preview = await invoke('policy:import-preview', { kind: 'file', path: settings });
    if (!preview.ok) throw new Error(preview.reason);
    expect(preview.preview.rules.map((r) => [r.rule.id, r.replaces])).toEqual([
      ['claude:deny:mcp__github__.all', false],
      ['claude:ask:mcp__fs__move_file', false],
      ['claude:allow:mcp__github__get_issue', false],
    ]);
    expect(preview.preview.skipped).toEqual([{ entry: 'Bash(ls)', reason: 'not an MCP tool' }]);

    // The CLI's own import, on a copy of the same home, writes the same document.
    const copy = tempDir('mcp-guard-import-copy-');
    cpSync(userFile(), join(copy, 'policy.json'));
    execFileSync(process.execPath, [cliPath, 'policy', 'import-claude'], { env: guardEnv(copy, { MCP_GUARD_MANAGED_POLICY: managedFile, HOME: userHome }) });

    writeFileSync(settings, JSON.stringify({ permissions: { ...permissions, allow: ['mcp__github__create_issue'] } }));
    const stale = await invoke('policy:import', { kind: 'file', path: settings }, preview.preview.revision, preview.preview.result);
    expect(stale).toMatchObject({ ok: false, reason: expect.stringMatching(/Claude Code settings changed since the preview/) });
    writeFileSync(settings, JSON.stringify({ permissions }));
    expect(await invoke('policy:import', { kind: 'file', path: settings }, preview.preview.revision, preview.preview.result)).toMatchObject({ ok: true });
    expect(onDisk()).toEqual(JSON.parse(readFileSync(join(copy, 'policy.json'), 'utf8')));
  });
});
