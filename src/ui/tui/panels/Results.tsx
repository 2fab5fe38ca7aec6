import { Box, Text } from 'ink';
import { useState } from 'react';
import type { ResultItem, ResultSection } from '../../../core/kernel/outcome.js';
import { useKeyState } from '../hooks/useKeyState.js';
import { useKeymap } from '../hooks/useKeymap.js';
import { KeyHints } from '../components/KeyHints.js';
import { RESULTS_KEYS } from '../keys.js';
import { windowStart } from '../state/choice-cursor.js';
import { color, glyph } from '../theme.js';

const STATUS_LOOK: Record<ResultItem['status'], { mark: string; tint: string }> = {
  ok: { mark: glyph.done, tint: color.ok },
  warn: { mark: glyph.warn, tint: color.warn },
  fail: { mark: glyph.failed, tint: color.error },
  skip: { mark: glyph.skipped, tint: color.muted },
  info: { mark: glyph.info, tint: color.accent },
};

/** A result that stays on screen to be read: tables as columns, items expandable one at a time (⏎). */
export function hasInteractiveSections(sections: readonly ResultSection[] | undefined): boolean {
  return (sections ?? []).some((s) => s.kind === 'items' || s.kind === 'table');
}

function Table({ section }: { section: Extract<ResultSection, { kind: 'table' }> }) {
  const widths = section.columns.map((c, i) => Math.max(c.length, ...section.rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  return (
    <Box flexDirection="column">
      <Text bold>{line(section.columns)}</Text>
      {section.rows.map((row, i) => (
        <Text key={i} wrap="truncate-end">
          {line(row)}
        </Text>
      ))}
    </Box>
  );
}

interface Props {
  sections: readonly ResultSection[];
  /** Rows the panel may use, so the live area never exceeds the terminal. */
  rows: number;
  onDone: () => void;
}

/** The results view: stays open until q/esc, so findings can be expanded and tables read. */
export function Results({ sections, rows, onDone }: Props) {
  const items = sections.flatMap((s) => (s.kind === 'items' ? s.items : []));
  const [cursor, setCursor, currentCursor] = useKeyState(0);
  const [open, setOpen] = useState<number>();
  useKeymap(RESULTS_KEYS, {
    up: () => setCursor((c) => Math.max(0, c - 1)),
    down: () => setCursor((c) => Math.min(items.length - 1, c + 1)),
    select: () => setOpen((o) => (o === currentCursor() ? undefined : currentCursor())),
    quit: onDone,
    back: onDone,
    cancel: onDone,
  });
  const detailRows = open !== undefined ? (items[open]?.details.length ?? 0) : 0;
  const visible = Math.max(3, rows - detailRows - 2);
  const start = windowStart(items.length, cursor, visible);
  let index = 0;
  return (
    <Box flexDirection="column" marginTop={1}>
      {sections.map((section, si) => (
        <Box key={si} flexDirection="column">
          {section.title ? <Text bold>{section.title}</Text> : null}
          {section.kind === 'lines' ? section.lines.map((l, i) => <Text key={i}>  {l}</Text>) : null}
          {section.kind === 'table' ? <Table section={section} /> : null}
          {section.kind === 'code' ? <Text>{section.text}</Text> : null}
          {section.kind === 'items'
            ? section.items.map((item) => {
                const i = index++;
                if (i < start || i >= start + visible) return null;
                const look = STATUS_LOOK[item.status];
                return (
                  <Box key={i} flexDirection="column">
                    <Text wrap="truncate-end">
                      <Text color={color.accent}>{i === cursor ? `${glyph.pointer} ` : '  '}</Text>
                      <Text color={look.tint}>{look.mark}</Text> {item.summary}
                      {item.details.length > 0 && open !== i ? <Text color={color.muted}> {glyph.more}</Text> : null}
                    </Text>
                    {open === i ? item.details.map((d, di) => <Text key={di} color={color.muted}>      {d}</Text>) : null}
                  </Box>
                );
              })
            : null}
        </Box>
      ))}
      <KeyHints bindings={RESULTS_KEYS} />
    </Box>
  );
}
