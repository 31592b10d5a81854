import { useCallback, useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent, type MouseEvent, type RefObject } from 'react';
import { INPUT_PROTECTION_MS } from '../../../../shared/approvals.js';

/**
 * Input protection: for INPUT_PROTECTION_MS after a prompt becomes active or its content changes
 * (`key` changes), and again after the window comes back to the front, every click and key on the
 * answer controls is dropped — not queued. A press that began inside the window is dropped too,
 * even if its click lands after it, so a click aimed at the previous prompt never answers this one.
 * The controls stay focusable (aria-disabled, not `disabled`, which would throw focus away).
 * The protection starts again when the controls move on the page (a notice or banner appeared above
 * them, a line of the card wrapped): a click aimed before the move would land on another button.
 *
 * `busy` (an answer is being sent, or was taken) makes the controls inert in the same way.
 */
export interface InputProtection {
  /** For styling: the controls are in their "Wait…" state. */
  readonly protectedNow: boolean;
  /** For handlers: true while input must be ignored (checked at the moment of the event). */
  readonly isBlocked: () => boolean;
  /** Capture-phase handlers (and the ref) for the element that holds the answer controls. */
  readonly gate: {
    ref: RefObject<HTMLDivElement | null>;
    onPointerDownCapture: () => void;
    onClickCapture: (e: MouseEvent) => void;
    onKeyDownCapture: (e: KeyboardEvent) => void;
    onKeyUpCapture: (e: KeyboardEvent) => void;
  };
}

/** Keys that move focus or do nothing harmful; they work during the protection too. */
const PASS_KEYS = new Set(['Tab', 'Escape', 'Shift', 'Alt', 'Control', 'Meta']);

export function useInputProtection(key: string, busy: RefObject<boolean>): InputProtection {
  const until = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const pressBlocked = useRef(false);
  const keyBlocked = useRef(false);
  const [protectedNow, setProtectedNow] = useState(true);
  const controls = useRef<HTMLDivElement | null>(null);
  const place = useRef<number | undefined>(undefined);

  const restart = useCallback(() => {
    until.current = performance.now() + INPUT_PROTECTION_MS;
    setProtectedNow(true);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setProtectedNow(false), INPUT_PROTECTION_MS);
  }, []);

  // A layout effect runs before the browser can deliver any event to the new content.
  useLayoutEffect(() => {
    restart();
    return () => clearTimeout(timer.current);
  }, [key, restart]);

  // After every render (and resize): where the controls are, in page coordinates (scrolling is not
  // moving). The controls may be sticky (answer-controls.css), so their place in the layout is read
  // off what comes just before them, which scrolls with the page.
  const checkPlace = useCallback(() => {
    const el = controls.current;
    if (el === null) return;
    const before = el.previousElementSibling;
    const top = (before === null ? el.getBoundingClientRect().top : before.getBoundingClientRect().bottom) + window.scrollY;
    const moved = place.current !== undefined && Math.abs(top - place.current) > 1;
    place.current = top;
    if (moved) restart();
  }, [restart]);
  useLayoutEffect(checkPlace);
  useEffect(() => {
    window.addEventListener('resize', checkPlace);
    return () => window.removeEventListener('resize', checkPlace);
  }, [checkPlace]);

  // Coming back to the window: the click that brings it to the front must not answer.
  useEffect(() => {
    const onVisible = () => {
      if (document.visibilityState === 'visible') restart();
    };
    window.addEventListener('focus', restart);
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      window.removeEventListener('focus', restart);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [restart]);

  const isBlocked = useCallback(() => performance.now() < until.current || busy.current, [busy]);

  const gate: InputProtection['gate'] = {
    ref: controls,
    onPointerDownCapture: () => {
      pressBlocked.current = isBlocked();
    },
    onClickCapture: (e) => {
      // detail 0: a click made by a key (Enter, Space); its keydown decided.
      const fromPointer = e.detail > 0;
      const blocked = isBlocked() || (fromPointer ? pressBlocked.current : keyBlocked.current);
      if (fromPointer) pressBlocked.current = false;
      if (blocked) drop(e);
    },
    onKeyDownCapture: (e) => {
      if (PASS_KEYS.has(e.key)) return;
      const held = e.repeat && (e.key === 'Enter' || e.key === ' ');
      keyBlocked.current = isBlocked() || held;
      if (keyBlocked.current) drop(e);
    },
    onKeyUpCapture: (e) => {
      if (PASS_KEYS.has(e.key)) return;
      // Space clicks on keyup: a Space pressed during the protection must not click after it.
      // The flag outlives this handler until the click (if any) has been dispatched.
      if (keyBlocked.current) drop(e);
      setTimeout(() => {
        keyBlocked.current = false;
      }, 0);
    },
  };

  return { protectedNow, isBlocked, gate };
}

function drop(e: { preventDefault: () => void; stopPropagation: () => void }): void {
  e.preventDefault();
  e.stopPropagation();
}
