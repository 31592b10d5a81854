import { useCallback, useEffect, useRef, type FocusEvent, type RefObject } from 'react';
import type { GuardApi } from '../../../../shared/ipc.js';

/**
 * Pauses the prompt's countdown while the user looks at it: the pointer is over the card, or the
 * user has focus inside it. Tells the service `interacting(id, true)` when either starts and
 * `false` when both have ended (and when the card goes away while still true).
 *
 * The focus the card itself puts on Deny when a prompt appears does not count until the user
 * presses a key or the pointer inside the card, or moves focus: otherwise every prompt would pause
 * itself on arrival and no unanswered call would ever time out.
 */
export interface Interacting {
  readonly handlers: {
    onPointerEnter: () => void;
    onPointerLeave: () => void;
    onPointerDownCapture: () => void;
    onKeyDownCapture: () => void;
    onFocus: (e: FocusEvent) => void;
    onBlur: (e: FocusEvent) => void;
  };
  /** Call just before the card focuses `el` on its own. */
  readonly autoFocusing: (el: HTMLElement) => void;
}

export function useInteracting(guard: GuardApi, id: string, card: RefObject<HTMLElement | null>): Interacting {
  const pointer = useRef(false);
  const focus = useRef(false);
  const sent = useRef(false);
  const autoFocused = useRef<HTMLElement | null>(null);
  const userActed = useRef(false);

  const update = useCallback(() => {
    const now = pointer.current || focus.current;
    if (now === sent.current) return;
    sent.current = now;
    guard.approvals.interacting(id, now).catch(() => {
      // The link is down: there is no one to tell (the connection state says so on screen).
    });
  }, [guard, id]);

  useEffect(() => {
    // A card that appears under a resting pointer gets no pointerenter.
    pointer.current = card.current?.matches(':hover') ?? false;
    update();
    return () => {
      if (!sent.current) return;
      sent.current = false;
      guard.approvals.interacting(id, false).catch(() => {});
    };
  }, [guard, id, card, update]);

  const focusInside = () => {
    const active = document.activeElement;
    return active !== null && (card.current?.contains(active) ?? false);
  };
  const userActs = () => {
    userActed.current = true;
    if (focusInside()) {
      focus.current = true;
      update();
    }
  };

  return {
    handlers: {
      onPointerEnter: () => {
        pointer.current = true;
        update();
      },
      onPointerLeave: () => {
        pointer.current = false;
        update();
      },
      onPointerDownCapture: userActs,
      onKeyDownCapture: userActs,
      onFocus: (e) => {
        if (e.target === autoFocused.current && !userActed.current) return;
        focus.current = true;
        update();
      },
      onBlur: (e) => {
        const next = e.relatedTarget;
        if (next instanceof Node && card.current?.contains(next)) return;
        focus.current = false;
        update();
      },
    },
    autoFocusing: (el) => {
      autoFocused.current = el;
      userActed.current = false;
      focus.current = false;
      update();
    },
  };
}
