import { Box } from 'ink';
import type { FlowOutcome } from '../../../core/kernel/outcome.js';
import { LogPane } from './LogPane.js';
import { ReadinessPanel } from './ReadinessPanel.js';
import type { LogView } from '../hooks/useLogBuffer.js';
import type { FlowLayout } from '../state/flow-layout.js';
import type { FlowView } from '../state/flow-reducer.js';
import { Outcome } from './Outcome.js';

interface Props {
  outcome: FlowOutcome;
  view: FlowView;
  log: LogView;
  layout: FlowLayout;
}

/**
 * Printed once into <Static> when the run ends: the last readiness state, the helm tail if helm
 * failed, and the outcome. As static output it stays on screen and in scrollback however tall
 * it is, without Ink clearing the screen to redraw an oversized live area.
 */
export function FinalReport({ outcome, view, log, layout }: Props) {
  const { readiness } = layout;
  return (
    <Box flexDirection="column">
      {readiness ? (
        <ReadinessPanel snapshot={readiness.snapshot} verdict={readiness.verdict} omit={layout.omitFindings} />
      ) : null}
      {layout.showLog ? (
        <Box marginTop={1}>
          <LogPane log={log} rows={layout.logRows} running={false} />
        </Box>
      ) : null}
      <Outcome outcome={outcome} />
    </Box>
  );
}
