import { useEffect } from 'react';
import type { ExitCode } from '../../../core/kernel/errors.js';

/**
 * Once `exitCode` is known, exit on the next macrotask: the frame showing the outcome is
 * committed by then, and <Static> has finished its follow-up render (exiting inside the same
 * commit makes Ink's final render print the newest static lines a second time).
 */
export function useExitAfterFrame(exitCode: ExitCode | undefined, onExit: (exitCode: ExitCode) => void): void {
  useEffect(() => {
    if (exitCode === undefined) return;
    const timer = setTimeout(() => onExit(exitCode), 0);
    return () => clearTimeout(timer);
  }, [exitCode, onExit]);
}
