import type { ManagedPolicyStatus } from '../../../../shared/managed-status.js';
import { ManagedBanners } from './managed-banners.js';

/** One red banner per policy file that does not validate (what is wrong, and what that means meanwhile), then the managed policy's. */
export function PolicyBanners({ problems, managed }: { problems: readonly string[]; managed: ManagedPolicyStatus | undefined }) {
  if (problems.length === 0 && !managed?.lockedDown && !managed?.stale && !managed?.configProblems?.length) return null;
  return (
    <div className="banners">
      {problems.map((problem, i) => (
        <div role="alert" className="banner banner-danger" key={`${i}:${problem}`}>
          <p className="banner-title">Policy problem</p>
          <p className="banner-text">{problem}</p>
          <p className="banner-text">Until the file is fixed, the tools of the guarded servers are hidden from your agents.</p>
        </div>
      ))}
      <ManagedBanners managed={managed} />
    </div>
  );
}
