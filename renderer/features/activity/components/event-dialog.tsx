import * as Dialog from '@radix-ui/react-dialog';
import type { ActivityEventDetail, ActivityRow } from '../../../../shared/activity.js';
import { useGuard } from '../../../bridge/guard-context.js';
import { ErrorState, LoadingState } from '../../../components/page-states.js';
import { useRemote } from '../../../components/use-remote.js';
import { KIND_LABEL } from '../lib/labels.js';
import { EventDetail } from './event-detail.js';
import './event-dialog.css';

/**
 * One event in full (Radix dialog: focus moves in, stays in, Escape closes). The event is read
 * back from the log file when the dialog opens; on close, focus goes back to the row's button
 * (`onClosed` finds it, since the virtualized row may have been re-rendered meanwhile).
 */
export type OpenEvent = { seq: number; row?: ActivityRow };

export function EventDialog({ target, onClose, onClosed }: { target: OpenEvent | undefined; onClose: () => void; onClosed: (seq: number) => void }) {
  return (
    <Dialog.Root open={target !== undefined} onOpenChange={(open) => !open && onClose()}>
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay" />
        {target ? (
          <Dialog.Content
            className="dialog event-dialog"
            data-testid="event-dialog"
            onCloseAutoFocus={(event) => {
              event.preventDefault();
              onClosed(target.seq);
            }}
          >
            <DialogBody target={target} />
          </Dialog.Content>
        ) : null}
      </Dialog.Portal>
    </Dialog.Root>
  );
}

function DialogBody({ target }: { target: OpenEvent }) {
  const guard = useGuard();
  const detail = useRemote<ActivityEventDetail>(() => guard.activity.event(target.seq), [guard, target.seq]);
  const event = detail.state === 'ready' ? detail.value.event : target.row;
  const title = !event
    ? `Event #${target.seq.toLocaleString()}`
    : event.kind === 'call'
      ? `${event.tool ?? 'A tool'} on ${serverName(event.server) ?? 'an unnamed server'}`
      : KIND_LABEL[event.kind];
  return (
    <>
      <div className="event-dialog-head">
        <Dialog.Title className="dialog-title">{title}</Dialog.Title>
        <Dialog.Close className="button">Close</Dialog.Close>
      </div>
      <Dialog.Description className="subtle">{`Event #${target.seq.toLocaleString()} of the audit log, read back from its file.`}</Dialog.Description>
      {detail.state === 'loading' ? <LoadingState what="Reading the event from the log…" /> : null}
      {detail.state === 'error' ? <ErrorState what="Could not read this event" error={detail.error} retry={detail.reload} /> : null}
      {detail.state === 'ready' ? <EventDetail detail={detail.value} /> : null}
    </>
  );
}

function serverName(server: string | { name: string } | undefined): string | undefined {
  return typeof server === 'string' ? server : server?.name;
}
