import { Box } from 'ink';
import type { ExitCode } from '../../../core/kernel/errors.js';
import type { FlowOutcome } from '../../../core/kernel/outcome.js';
import { Title } from '../components/Title.js';
import { useExitAfterFrame } from '../hooks/useExitAfterFrame.js';
import { Outcome } from '../panels/Outcome.js';

interface Props {
  outcome: FlowOutcome;
  version?: string;
  onExit: (exitCode: ExitCode) => void;
}

/** Leaving from the menu (q / ctrl-c): nothing ran, so just say so and exit. */
export function Quit({ outcome, version, onExit }: Props) {
  useExitAfterFrame(outcome.exitCode, onExit);
  return (
    <Box flexDirection="column">
      <Title version={version} />
      <Outcome outcome={outcome} />
    </Box>
  );
}
