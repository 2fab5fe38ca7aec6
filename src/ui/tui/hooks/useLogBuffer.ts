import { useCallback, useEffect, useRef, useState } from 'react';
import { LineRing } from '../state/line-ring.js';
import { LOG_PANE_MAX } from '../state/layout.js';
import { safeText } from '../../../core/kernel/safe-text.js';

interface LogLine {
  text: string;
  stream: 'stdout' | 'stderr';
}

export interface LogView {
  /** Where the lines come from (the newest line's source, e.g. "helm"): the pane's title. */
  source?: string;
  /** The newest lines, oldest first (at most the ring's capacity). */
  lines: LogLine[];
  total: number;
  firstAt?: number;
  lastAt?: number;
}

export interface LogBuffer {
  view: LogView;
  push: (source: string, line: string, stream: LogLine['stream']) => void;
  /** Publish what is buffered now (e.g. when the flow settles). */
  flush: () => void;
}

/** ≤ 30 fps: Ink would not draw faster anyway. */
const LOG_FLUSH_MS = 33;

const EMPTY: LogView = { lines: [], total: 0 };

/**
 * Log output (helm's, today) goes into a bounded ring (no React update); a timer publishes a snapshot at
 * most every `flushMs`, and only when something arrived since the last one.
 */
export function useLogBuffer(capacity = LOG_PANE_MAX, flushMs = LOG_FLUSH_MS): LogBuffer {
  const ring = useRef<LineRing<LogLine>>(undefined);
  ring.current ??= new LineRing<LogLine>(capacity);
  const times = useRef<{ source?: string; firstAt?: number; lastAt?: number }>({});
  const timer = useRef<NodeJS.Timeout>(undefined);
  const [view, setView] = useState<LogView>(EMPTY);

  const flush = useCallback(() => {
    clearTimeout(timer.current);
    timer.current = undefined;
    const r = ring.current;
    if (!r || r.total === 0) return;
    // Made safe here, for the ≤ capacity lines on screen, not for each of helm's possibly millions of lines.
    const lines = r.toArray().map((l) => ({ text: safeText(l.text.replace(/\r?\n$/, '')), stream: l.stream }));
    setView({ lines, total: r.total, ...times.current });
  }, []);

  const push = useCallback(
    (source: string, line: string, stream: LogLine['stream']) => {
      ring.current?.push({ text: line, stream });
      times.current.source = source;
      const now = Date.now();
      times.current.firstAt ??= now;
      times.current.lastAt = now;
      timer.current ??= setTimeout(flush, flushMs);
    },
    [flush, flushMs],
  );

  useEffect(() => () => clearTimeout(timer.current), []);

  return { view, push, flush };
}
