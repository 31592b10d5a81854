import * as Dialog from '@radix-ui/react-dialog';
import type { FormEvent, ReactNode } from 'react';

/**
 * The frame of the Secrets page's dialogs: a title, what it does, the form, the error (announced),
 * and Cancel beside the action. Radix keeps the focus inside while it is open and gives it back to
 * the button that opened it (or to `onClosed`'s choice) when it closes; Escape cancels.
 */
export function SecretDialog({
  open,
  onOpenChange,
  trigger,
  title,
  description,
  children,
  error,
  busy,
  submitLabel,
  danger,
  onSubmit,
  onClosed,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  trigger: ReactNode;
  title: string;
  description: ReactNode;
  children?: ReactNode;
  error: string | undefined;
  busy: boolean;
  submitLabel: string;
  danger?: boolean;
  onSubmit: () => void;
  /** Where the focus goes when the dialog closes; default: back to its trigger. */
  onClosed?: (event: Event) => void;
}) {
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!busy) onSubmit();
  };
  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Trigger asChild>{trigger}</Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay" />
        <Dialog.Content className="dialog secret-dialog" {...(onClosed ? { onCloseAutoFocus: onClosed } : {})}>
          <Dialog.Title className="dialog-title">{title}</Dialog.Title>
          <Dialog.Description className="subtle" asChild>
            <div>{description}</div>
          </Dialog.Description>
          <form className="secret-form" onSubmit={submit} noValidate>
            {children}
            {error !== undefined ? (
              <p role="alert" className="field-error" data-testid="dialog-error">
                {error}
              </p>
            ) : null}
            <div className="dialog-actions">
              <Dialog.Close asChild>
                <button type="button" className="button">
                  Cancel
                </button>
              </Dialog.Close>
              <button type="submit" className={danger ? 'button button-danger' : 'button button-primary'} aria-disabled={busy}>
                {busy ? 'Saving…' : submitLabel}
              </button>
            </div>
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
