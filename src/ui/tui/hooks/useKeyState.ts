import { useRef, useState } from 'react';

type Update<T> = T | ((previous: T) => T);

/**
 * State that key handlers read and write. Several keys can arrive in one read of stdin (a paste, a fast
 * typist, tmux send-keys): Ink calls the handlers one after another before React re-renders, so a handler
 * reading state from its render would see the value from before the previous key (↓↓⏎ would select the
 * first row). `current()` is always the latest value, set synchronously.
 */
export function useKeyState<T>(initial: T | (() => T)): [value: T, set: (next: Update<T>) => void, current: () => T] {
  const [value, setValue] = useState(initial);
  const latest = useRef(value);
  const set = (next: Update<T>) => {
    latest.current = typeof next === 'function' ? (next as (previous: T) => T)(latest.current) : next;
    setValue(latest.current);
  };
  return [value, set, () => latest.current];
}
