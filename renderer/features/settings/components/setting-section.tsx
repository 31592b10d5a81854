import type { ReactNode } from 'react';

/** One setting's panel: its heading (with a lock tag when policy locks it), what it does, its control, and what saving it said. */
export function SettingSection({
  id,
  title,
  locked,
  children,
  result,
}: {
  id: string;
  title: string;
  /** Why it is locked, shown as a tag beside the heading. */
  locked?: string | undefined;
  children: ReactNode;
  result?: { ok: boolean; text: string } | undefined;
}) {
  return (
    <section className="panel setting" aria-labelledby={`${id}-title`} data-testid={`setting-${id}`}>
      <div className="setting-head">
        <h3 id={`${id}-title`}>{title}</h3>
        {locked ? (
          <span className="tag tag-locked" data-testid="locked">
            {locked}
          </span>
        ) : null}
      </div>
      {children}
      <p role="status" className={result?.ok ? 'setting-saved' : 'sr-only'} data-testid="setting-saved">
        {result?.ok ? result.text : ''}
      </p>
      {result && !result.ok ? (
        <p role="alert" className="field-error" data-testid="setting-refused">
          {result.text}
        </p>
      ) : null}
    </section>
  );
}
