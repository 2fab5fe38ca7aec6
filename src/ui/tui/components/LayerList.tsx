import { Box, Text } from 'ink';
import type { LayerProgress } from '../../../core/kernel/events.js';
import { color, glyph } from '../theme.js';
import { Spinner } from './Spinner.js';

const WIDTH = 'connection'.length;

/** "9 ok · 1 warn · 1 fail · 2 skipped", zeros left out (but always the ok count). */
function countsText(c: NonNullable<LayerProgress['counts']>): string {
  return [`${c.ok} ok`, c.warn ? `${c.warn} warn` : '', c.fail ? `${c.fail} fail` : '', c.skip ? `${c.skip} skipped` : ''].filter(Boolean).join(' · ');
}

function Mark({ layer }: { layer: LayerProgress }) {
  if (layer.state === 'running') return <Spinner />;
  if (layer.state === 'pending') return <Text color={color.muted}>·</Text>;
  if (layer.state === 'skipped') return <Text color={color.muted}>{glyph.skipped}</Text>;
  const c = layer.counts;
  if (c?.fail) return <Text color={color.error}>{glyph.failed}</Text>;
  if (c?.warn) return <Text color={color.warn}>{glyph.warn}</Text>;
  return <Text color={color.ok}>{glyph.done}</Text>;
}

/** The doctor's layers, one row each: pending, running (with what it reads), done with its checks' counts. */
export function LayerList({ layers, title = 'Checks per layer' }: { layers: LayerProgress[]; title?: string }) {
  return (
    <Box flexDirection="column">
      <Text color={color.muted}>{title}</Text>
      {layers.map((l) => (
        <Text key={l.id} wrap="truncate-end">
          {'  '}
          <Mark layer={l} /> {l.title.padEnd(WIDTH)} <Text color={l.state === 'pending' ? color.muted : undefined}>{l.state}</Text>
          {l.counts ? <Text> · {countsText(l.counts)}</Text> : null}
          {l.detail ? <Text color={color.muted}> · {l.detail}</Text> : null}
        </Text>
      ))}
    </Box>
  );
}
