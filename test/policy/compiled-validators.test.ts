import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PinFile } from '../../shared/pins.js';
import { PolicyDocument } from '../../shared/policy.js';
import { ServiceMessage } from '../../shared/proxy-protocol.js';
import {
  SERVER_RECORD_VALIDATOR_FILE,
  serverRecordValidatorSource,
  SERVICE_MESSAGE_VALIDATOR_FILE,
  serviceMessageValidatorSource,
  VALIDATORS_FILE,
  validatorsSource,
} from '../../build/generate-validators.js';
import { pinFileProblems, policyShapeProblems } from '../../main/policy/file-validators.js';
import { serviceMessageProblems } from '../../main/proxy/service-message-problems.js';
import { repoRoot } from '../helpers/paths.js';
import { alwaysGrant } from '../helpers/grants.js';

const example = JSON.parse(readFileSync(join(repoRoot, 'test', 'policy', 'issue-example.json'), 'utf8')) as unknown;
const HASH = 'a'.repeat(64);
const pins = {
  version: 1,
  servers: {
    github: {
      tools: { list_issues: { hash: HASH, definition: { name: 'list_issues', inputSchema: { type: 'object' } } } },
      instructions: { hash: HASH, text: null },
      pending: {
        tools: { delete_repo: { old: null, new: { hash: HASH, definition: { name: 'delete_repo' } }, seenAt: 1 } },
        instructions: { old: { hash: HASH, text: null }, new: { hash: 'b'.repeat(64), text: 'new' }, seenAt: 2 },
      },
    },
  },
};

/** Every message the service sends a proxy, grants of each scope, client and lifetime among them. */
const grant = alwaysGrant('raw', 'echo');
const serviceMessages = [
  { type: 'welcome', protocol: 2, session: { id: 's1', resume: 'r1' } },
  { type: 'welcome', protocol: 2 },
  { type: 'refused', reason: 'bad token' },
  {
    type: 'decision',
    corr: 3,
    decision: { effect: 'allow', layer: 'user', rule: 'r', reason: 'asked', hints: [{ kind: 'destructive', detail: 'd' }], monitored: 'deny' },
    approval: { approver: 'me', answer: 'allow-timed', until: '2026-05-01T10:00:00.5+02:00', scope: 'any-arguments' },
  },
  { type: 'recorded', corr: 0 },
  {
    type: 'status',
    status: {
      pid: 1,
      since: 's',
      proxies: [{ sessionId: 's1', pid: 2, server: 'raw', client: 'c', since: 's' }],
      pendingApprovals: 0,
      policy: { userVersion: 1, problems: ['p'] },
    },
  },
  { type: 'changed', what: 'pins' },
  {
    type: 'grants',
    grants: [
      grant,
      {
        ...grant,
        id: 'g2',
        scope: { kind: 'tool-exact-args', argsHash: HASH },
        client: { kind: 'session', sessionId: 's1' },
        expiresAt: 60_001,
        lifetime: { kind: 'minutes', minutes: 1 },
        source: 'managed',
      },
      {
        id: 'g3',
        scope: { kind: 'server' },
        client: { kind: 'session', sessionId: 's1' },
        server: 'raw',
        createdAt: 1,
        expiresAt: null,
        lifetime: { kind: 'session' },
        source: 'default',
      },
      { ...grant, id: 'g4', expiresAt: 5, lifetime: { kind: 'once' } },
    ],
  },
  { type: 'disable', reason: 'the user disabled it' },
];

/** Values of every JSON type, and strings that sit on the edges of the schemas' formats and unions. */
const REPLACEMENTS: unknown[] = [
  ...[null, 0, -1, 1.5, 5, 3601, true, '', 'x', 'mcp__a__b', 'mcp__', 'PT1H', 'P', 'PT', 'P1DT', 'npm:x@1.2.3', HASH, 'A'.repeat(64), [], ['x'], {}, { x: 1 }],
  ...['2026-05-01T10:00:00Z', '2026-02-30T10:00:00Z', '2026-05-01 10:00:00Z', 'session', 'server', 'always', 'minutes', 'grants', 'welcome'],
];

/** The document with one change: each node removed, replaced by each of REPLACEMENTS, and each object given an unknown field. */
function* mutations(value: unknown, set: (v: unknown) => unknown = (v) => v): Generator<unknown> {
  for (const r of REPLACEMENTS) yield set(r);
  if (Array.isArray(value)) {
    const list = value as unknown[];
    for (let i = 0; i < list.length; i++) {
      yield set(list.filter((_, j) => j !== i));
      yield* mutations(list[i], (v) => set(list.map((item, j) => (j === i ? v : item))));
    }
  } else if (value !== null && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    yield set({ ...object, unexpected: 1 });
    for (const key of Object.keys(object)) {
      const { [key]: _removed, ...rest } = object;
      yield set(rest);
      yield* mutations(object[key], (v) => set({ ...object, [key]: v }));
    }
  }
}

/** Runs both validators over every one-change variant of `base`; throws at the first disagreement. */
function agreement(base: unknown, zodAccepts: (v: unknown) => boolean, compiledAccepts: (v: unknown) => boolean): { checked: number; rejected: number } {
  let checked = 0;
  let rejected = 0;
  for (const variant of mutations(base)) {
    const zod = zodAccepts(variant);
    const compiled = compiledAccepts(variant);
    if (zod !== compiled) throw new Error(`zod says ${zod}, the compiled validator ${compiled}, for ${JSON.stringify(variant)}`);
    checked++;
    if (!zod) rejected++;
  }
  return { checked, rejected };
}

describe('the validators compiled from the zod schemas (what MCP Guard validates files with)', () => {
  it('are current: the committed file is what the schemas compile to today (run npm run schema after changing them)', () => {
    expect(readFileSync(join(repoRoot, VALIDATORS_FILE), 'utf8')).toBe(validatorsSource());
    expect(readFileSync(join(repoRoot, SERVICE_MESSAGE_VALIDATOR_FILE), 'utf8')).toBe(serviceMessageValidatorSource());
    expect(readFileSync(join(repoRoot, SERVER_RECORD_VALIDATOR_FILE), 'utf8')).toBe(serverRecordValidatorSource());
  });

  it('admit exactly the policy documents the zod schema admits, over thousands of one-change variants of the example', () => {
    const { checked, rejected } = agreement(
      example,
      (doc) => PolicyDocument.safeParse(doc).success,
      (doc) => policyShapeProblems(doc).length === 0,
    );
    expect(checked).toBeGreaterThan(1000);
    // Both verdicts occur: a validator that rejected (or accepted) everything would not pass this.
    expect(rejected).toBeGreaterThan(checked / 2);
    expect(rejected).toBeLessThan(checked);
  });

  it('admit exactly the pin files the zod schema admits', () => {
    const { checked, rejected } = agreement(
      pins,
      (file) => PinFile.safeParse(file).success,
      (file) => pinFileProblems(file).length === 0,
    );
    expect(rejected).toBeGreaterThan(checked / 2);
    expect(rejected).toBeLessThan(checked);
  });

  it('admit exactly the service messages the zod schema admits, grants with their cross-field rules included', () => {
    let checked = 0;
    let rejected = 0;
    for (const message of serviceMessages) {
      expect(serviceMessageProblems(message), message.type).toEqual([]);
      const counts = agreement(
        message,
        (m) => ServiceMessage.safeParse(m).success,
        (m) => serviceMessageProblems(m).length === 0,
      );
      checked += counts.checked;
      rejected += counts.rejected;
    }
    expect(checked).toBeGreaterThan(1000);
    expect(rejected).toBeGreaterThan(checked / 2);
    expect(rejected).toBeLessThan(checked);
  });

  it('refuse a service message that zod refuses, naming the field that failed and not the value found there', () => {
    const refused = (m: object) => {
      expect(ServiceMessage.safeParse(m).success).toBe(false);
      const problems = serviceMessageProblems(m);
      expect(JSON.stringify(problems)).not.toContain('SECRET');
      return problems;
    };
    // A grant with a wrong field, one with a field too many, and one that breaks a rule zod checks in code.
    expect(refused({ type: 'grants', grants: [{ ...grant, createdAt: 'SECRET' }] })).toEqual([
      { path: 'grants[0].createdAt', message: 'expected a whole number' },
    ]);
    expect(refused({ type: 'grants', grants: [grant, { ...grant, scope: { kind: 'SECRET' } }] })).toEqual([
      { path: 'grants[1].scope.kind', message: 'expected one of "tool-any-args", "tool-exact-args", "server"' },
    ]);
    expect(refused({ type: 'grants', grants: [{ ...grant, note: 'SECRET' }] })).toEqual([
      { path: 'grants[0].note', message: expect.stringMatching(/^unknown field/) },
    ]);
    expect(refused({ type: 'grants', grants: [{ ...grant, scope: { kind: 'server' }, id: 'SECRET' }] })).toEqual([
      { path: 'grants[0].tool', message: 'a server-scope grant has no "tool"' },
    ]);
    expect(refused({ type: 'grants', grants: [{ ...grant, lifetime: { kind: 'minutes', minutes: 5 } }] })).toEqual([
      { path: 'grants[0].expiresAt', message: 'only "always" and "session" grants may have expiresAt null' },
    ]);
    expect(refused({ type: 'grants', grants: [{ ...grant, lifetime: { kind: 'session' } }] })).toEqual([
      { path: 'grants[0].client.kind', message: expect.stringMatching(/session grant must name the client session/) },
    ]);
    // An unknown message type, one that is not a string, and a known one with a field too many.
    expect(refused({ type: 'SECRET' })).toEqual([{ path: 'type', message: expect.stringMatching(/^expected one of "welcome", "refused", "decision", /) }]);
    expect(refused({ type: 5 })).toEqual([{ path: 'type', message: expect.stringMatching(/^expected one of /) }]);
    expect(refused({ type: 'changed', what: 'policy', also: 'SECRET' })).toEqual([{ path: 'also', message: expect.stringMatching(/^unknown field/) }]);
    expect(refused({ type: 'decision', corr: 1, decision: { effect: 'allow', layer: 'user', rule: 'SECRET', reason: 'r' } })).toEqual([
      { path: 'decision.hints', message: 'required, and missing' },
    ]);
    expect(refused({ type: 'welcome', protocol: 3 })).toEqual([{ path: 'protocol', message: 'expected 2' }]);
    expect(refused([])).toEqual([{ path: '(root)', message: 'expected an object' }]);
  });

  it('carry the rules zod checks in code: durations, a server match with no field, "pinned" without "package"', () => {
    const withDefaults = (maxGrant: string) => ({ version: 1, defaults: { maxGrant } });
    for (const bad of ['P', 'PT', 'P1DT', 'PT1H2', '8h'])
      expect(policyShapeProblems(withDefaults(bad)), bad).toEqual([{ path: 'defaults.maxGrant', message: expect.stringMatching(/PT8H/) }]);
    for (const good of ['P1D', 'PT8H', 'P1DT12H', 'PT30M', 'PT45S']) expect(policyShapeProblems(withDefaults(good)), good).toEqual([]);
    const server = (match: object) => ({ version: 1, servers: [{ id: 's', match, action: 'deny' }] });
    expect(policyShapeProblems(server({}))).toEqual([{ path: 'servers[0].match', message: 'needs at least one field' }]);
    expect(policyShapeProblems(server({ name: 'x', pinned: true }))).toEqual([
      { path: 'servers[0].match.pinned', message: '"pinned" only applies together with "package"' },
    ]);
    expect(policyShapeProblems(server({ package: 'npm:x', pinned: true }))).toEqual([]);
  });

  it('name the path and what was expected, one problem per value that fits no form of a union', () => {
    expect(policyShapeProblems({ version: 1, servers: [{ id: 's', match: { command: 5 }, action: 'allow' }] })).toEqual([
      { path: 'servers[0].match.command', message: expect.stringMatching(/^expected /) },
    ]);
    expect(policyShapeProblems({ version: 1, rules: [{ id: 'r', tool: 'mcp__a', action: 'permit' }] })).toEqual([
      { path: 'rules[0].action', message: 'expected one of "allow", "ask", "deny"' },
    ]);
    expect(policyShapeProblems({ version: 1, rules: [{ tool: 'mcp__a', action: 'deny' }] })).toEqual([
      { path: 'rules[0].id', message: 'required, and missing' },
    ]);
    expect(policyShapeProblems([])).toEqual([{ path: '(root)', message: 'expected an object' }]);
  });
});
