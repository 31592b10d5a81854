import { useEffect, useRef, type ReactNode } from 'react';

/**
 * A page's frame: its heading (focused when the page opens, so a keyboard or screen-reader user
 * starts at the top of what they chose), a line on what the page is for, its actions, its content.
 */
export function Page({
  title,
  intro,
  actions,
  children,
  testId,
}: {
  title: string;
  intro: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
  testId: string;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus({ preventScroll: true }), []);
  return (
    <section className="page" aria-labelledby={`${testId}-title`} data-testid={testId}>
      <div className="page-head">
        <div>
          <h2 id={`${testId}-title`} className="page-title" tabIndex={-1} ref={heading}>
            {title}
          </h2>
          <p className="page-intro">{intro}</p>
        </div>
        {actions ? <div className="page-actions">{actions}</div> : null}
      </div>
      {children}
    </section>
  );
}
