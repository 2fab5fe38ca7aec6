import { Box, Text } from 'ink';
import type { FlowOutcome } from '../../../core/kernel/outcome.js';
import { Banner } from '../components/Banner.js';
import { LogPane } from './LogPane.js';
import { ReadinessPanel } from './ReadinessPanel.js';
import type { LogView } from '../hooks/useLogBuffer.js';
import type { FlowLayout } from '../state/flow-layout.js';
import type { LiveStep } from '../state/flow-reducer.js';
import { color, glyph } from '../theme.js';
import { Outcome } from './Outcome.js';

interface Props {
  outcome: FlowOutcome;
  log: LogView;
  layout: FlowLayout;
  /** Steps that still said running when the run ended: the live area is gone, so the report names them. */
  stopped: readonly LiveStep[];
  simulated?: boolean;
}

/**
 * Printed once into <Static> when the run ends: the last readiness state, the helm tail if helm
 * failed, and the outcome. As static output it stays on screen and in scrollback however tall
 * it is; the live area below it is empty from then on, so nothing is left to repaint.
 */
export function FinalReport({ outcome, log, layout, stopped, simulated }: Props) {
  const { readiness } = layout;
  return (
    <Box flexDirection="column">
      {simulated ? <Banner /> : null}
      {stopped.map((step) => (
        <Text key={step.id} color={color.warn}>
          {glyph.stopped} {step.title} <Text color={color.muted}>(stopped)</Text>
        </Text>
      ))}
      {readiness ? <ReadinessPanel snapshot={readiness.snapshot} verdict={readiness.verdict} findings={layout.findings} /> : null}
      {layout.reportLogLines > 0 ? (
        <Box marginTop={1}>
          <LogPane log={log} rows={layout.reportLogLines} running={false} />
        </Box>
      ) : null}
      <Outcome outcome={outcome} />
    </Box>
  );
}
