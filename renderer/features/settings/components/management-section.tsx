import type { ReactNode } from 'react';
import type { ManagedPolicyStatus } from '../../../../shared/managed-status.js';
import type { SettingsView } from '../../../../shared/settings.js';
import { FETCH_OUTCOME_TEXT, formatIsoTime } from '../lib/labels.js';
import { SettingSection } from './setting-section.js';
import { TermList } from '../../../components/term-list.js';

/** Whether IT manages this device and, like a browser's policy page, the signed policy in force. */
export function ManagementSection({ managed }: { managed: SettingsView['managed'] }) {
  return (
    <SettingSection id="management" title="Central management">
      {managed.state === 'not-managed' ? (
        <div data-testid="managed-state">
          <p>
            <span className="tag tag-ok">Not managed</span> No managed configuration on this device.
          </p>
          <p className="subtle">
            {'Checked: '}
            <code>{managed.checked}</code>
          </p>
        </div>
      ) : (
        <div data-testid="managed-state">
          <p>
            <span className="tag tag-locked">Managed</span> Your IT department&apos;s policy is in force; what it sets is locked here and on the Policy page.
          </p>
          <p className="subtle">
            {'From '}
            <code>{managed.file}</code>
          </p>
          {managed.problems.length > 0 ? (
            <ul className="field-error">
              {managed.problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          ) : null}
          {managed.status ? <SignedPolicy status={managed.status} /> : null}
        </div>
      )}
    </SettingSection>
  );
}

function SignedPolicy({ status }: { status: ManagedPolicyStatus }) {
  const { bundle, lastFetch } = status;
  const facts: Array<readonly [string, ReactNode]> = [
    ['Source', status.urls?.length ? <code>{status.urls.join(', ')}</code> : 'no policy URL: the managed configuration sets locks only'],
    ['Version', bundle ? `${bundle.version}` : 'none verified yet'],
    ['Issued', bundle ? formatIsoTime(bundle.issuedAt) : undefined],
    ['Expires', bundle ? formatIsoTime(bundle.expiresAt) : undefined],
    ['Fingerprint', bundle ? <code title={bundle.sha256}>{`SHA-256 ${bundle.sha256.slice(0, 16)}…`}</code> : undefined],
    ['Trust root', status.rootVersion !== undefined ? `version ${status.rootVersion}` : undefined],
    [
      'Last fetch',
      lastFetch ? `${formatIsoTime(lastFetch.at)}: ${FETCH_OUTCOME_TEXT[lastFetch.outcome]}${lastFetch.message ? ` (${lastFetch.message})` : ''}` : 'not yet',
    ],
    [
      'If unavailable',
      status.whenUnavailable === 'lock-down'
        ? 'lock down: every call is denied'
        : status.whenUnavailable
          ? 'keep the last good policy, flagged stale'
          : undefined,
    ],
  ];
  return (
    <div className="managed-policy" data-testid="managed-policy">
      <h4>Signed policy</h4>
      {status.lockedDown ? (
        <p>
          <span className="tag tag-bad">Locked down</span> {status.lockedDown}
        </p>
      ) : status.stale ? (
        <p>
          <span className="tag tag-warn">Stale</span> {status.stale}
        </p>
      ) : bundle ? (
        <p>
          <span className="tag tag-ok">Current</span> Verified against the trust root and within its validity.
        </p>
      ) : null}
      <TermList terms={facts} />
      <p className="subtle">
        To fetch it now, run <code>mcp-guard sync now</code>; <code>mcp-guard sync status</code> shows the same from a terminal.
      </p>
    </div>
  );
}
