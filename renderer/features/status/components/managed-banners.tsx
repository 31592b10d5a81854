import type { ManagedPolicyStatus } from '../../../../shared/managed-status.js';
import { hrefOf } from '../../../app/routes.js';

/**
 * What IT's managed policy means right now, on every page: locked down (every call denied), a
 * managed configuration refused, or a signed policy that may be out of date. Nothing when it is
 * current or the device is not managed.
 */
export function ManagedBanners({ managed }: { managed: ManagedPolicyStatus | undefined }) {
  if (managed === undefined) return null;
  const details = <a href={hrefOf('settings')}>Details on the Settings page</a>;
  return (
    <>
      {managed.lockedDown ? (
        <div role="alert" className="banner banner-danger" data-testid="managed-banner">
          <p className="banner-title">Locked down by managed policy</p>
          <p className="banner-text">{managed.lockedDown}</p>
          <p className="banner-text">
            Ask your IT department, or run <code>mcp-guard sync now</code> once the policy host is back. {details}
          </p>
        </div>
      ) : null}
      {managed.configProblems?.length ? (
        <div role="alert" className="banner banner-danger" data-testid="managed-banner">
          <p className="banner-title">Managed configuration refused</p>
          {managed.configProblems.map((p) => (
            <p className="banner-text" key={p}>
              {p}
            </p>
          ))}
          <p className="banner-text">Nothing it says is in force until your IT department fixes it. {details}</p>
        </div>
      ) : null}
      {!managed.lockedDown && managed.stale ? (
        <div role="status" className="banner banner-warning" data-testid="managed-banner">
          <p className="banner-title">{`Managed policy may be out of date${managed.bundle ? ` (version ${managed.bundle.version})` : ''}`}</p>
          <p className="banner-text">{managed.stale}</p>
          <p className="banner-text">The last verified policy stays in force. {details}</p>
        </div>
      ) : null}
    </>
  );
}
