import type { Ref } from 'react';

/**
 * One answer button. Its accessible name is exactly `label`: the shortcut hint beside it is
 * aria-hidden and given to assistive technology as aria-keyshortcuts instead. While `inert` the
 * button stays focusable and enabled-looking (aria-disabled, a dashed "Wait…" style); the
 * handlers above it drop the input.
 */
export function AnswerButton(props: {
  label: string;
  shortcut?: string;
  tone: 'deny' | 'allow' | 'always';
  inert: boolean;
  onPress: () => void;
  buttonRef?: Ref<HTMLButtonElement>;
}) {
  const { label, shortcut, tone, inert, onPress, buttonRef } = props;
  return (
    <button
      type="button"
      ref={buttonRef}
      className={`answer-button answer-${tone}`}
      aria-disabled={inert ? 'true' : undefined}
      aria-keyshortcuts={shortcut}
      onClick={onPress}
    >
      <span className="answer-label">{label}</span>
      {shortcut !== undefined && (
        <kbd className="answer-key" aria-hidden="true">
          {shortcut}
        </kbd>
      )}
    </button>
  );
}
