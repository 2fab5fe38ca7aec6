import type { Binding, BindingId } from '../keys.js';
import { useKeyInput } from './useKeyInput.js';

export type KeyHandlers = Partial<Record<BindingId, () => void>>;

/**
 * Routes key presses through the same binding list the hint bar shows. The first matching
 * binding that has a handler wins; bindings without a handler are ignored.
 */
export function useKeymap(bindings: readonly Binding[], handlers: KeyHandlers, isActive = true): void {
  useKeyInput(
    (input, key) => {
      for (const binding of bindings) {
        const handler = handlers[binding.id];
        if (handler && binding.matches(input, key)) {
          handler();
          return;
        }
      }
    },
    { isActive },
  );
}
