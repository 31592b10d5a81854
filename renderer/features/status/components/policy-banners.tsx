/** One red banner per policy file that does not validate: what is wrong, and what that means meanwhile. */
export function PolicyBanners({ problems }: { problems: readonly string[] }) {
  if (problems.length === 0) return null;
  return (
    <div className="banners">
      {problems.map((problem, i) => (
        <div role="alert" className="banner banner-danger" key={`${i}:${problem}`}>
          <p className="banner-title">Policy problem</p>
          <p className="banner-text">{problem}</p>
          <p className="banner-text">Until the file is fixed, the tools of the guarded servers are hidden from your agents.</p>
        </div>
      ))}
    </div>
  );
}
