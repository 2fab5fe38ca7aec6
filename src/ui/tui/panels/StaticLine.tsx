import { Text } from 'ink';
import type { StaticItem } from '../state/flow-reducer.js';
import { color, glyph } from '../theme.js';
import { LayerList } from '../components/LayerList.js';
import { Review } from './Review.js';
import { Hanging } from '../components/Hanging.js';

const STEP_LOOK = {
  done: { mark: glyph.done, tint: color.ok },
  failed: { mark: glyph.failed, tint: color.error },
  skipped: { mark: glyph.skipped, tint: color.muted },
} as const;

/** One finished line (step, info, warning or answered question), printed once above the live area. */
export function StaticLine({ item }: { item: StaticItem }) {
  switch (item.kind) {
    case 'step': {
      const look = STEP_LOOK[item.status];
      return (
        // A failure is said whole once, in the report at the end: here it takes one row.
        <Hanging lead={<Text color={look.tint}>{look.mark} </Text>} truncate={item.status === 'failed'}>
          {item.title}
          {item.seconds !== undefined ? <Text color={color.muted}> {item.seconds}s</Text> : null}
          {item.status === 'skipped' ? <Text color={color.muted}> (skipped)</Text> : null}
          {item.detail ? <Text color={item.status === 'failed' ? color.error : color.muted}> · {item.detail}</Text> : null}
        </Hanging>
      );
    }
    case 'info':
      return <Hanging lead={<Text color={color.accent}>{glyph.info} </Text>}>{item.text}</Hanging>;
    case 'warn':
      return (
        <Hanging lead={`${glyph.warn} `} tint={color.warn}>
          {item.text}
        </Hanging>
      );
    case 'layers':
      return <LayerList layers={item.layers} />;
    case 'review':
      return <Review items={item.items} command={item.command} diffs={item.diffs} commandTitle={item.commandTitle} />;
    case 'answer':
      return (
        <Hanging lead={<Text color={color.ok}>{glyph.question} </Text>}>
          {item.message} <Text color={color.accent}>{item.display}</Text>
        </Hanging>
      );
  }
}
