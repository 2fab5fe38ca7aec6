import { Box, Text } from 'ink';
import type { ReadinessVerdict } from '../../../core/readiness/diagnose.js';
import type { PodView, ReadinessSnapshot } from '../../../core/readiness/snapshot.js';
import { visibleFindings } from '../state/readiness-view.js';
import { color, glyph } from '../theme.js';

interface Props {
  snapshot: ReadinessSnapshot;
  verdict: ReadinessVerdict;
  /** Finding summaries already shown elsewhere (the outcome's details), left out here. */
  omit?: readonly string[];
}

const VERDICT_LOOK = {
  ready: { mark: glyph.done, tint: color.ok, word: 'ready' },
  waiting: { mark: glyph.warn, tint: color.warn, word: 'waiting' },
  failed: { mark: glyph.failed, tint: color.error, word: 'failed' },
} as const;

/** "waiting ImagePullBackOff" for the container that is not ready, else the first one's state. */
function containerState(pod: PodView): string {
  const c = pod.containers.find((x) => !x.ready) ?? pod.containers[0];
  if (!c) return 'no containers';
  return c.reason ? `${c.state} ${c.reason}` : c.state;
}

/** cilium-style status: the Deployment's counts, one row per pod, then the findings with next steps. */
export function ReadinessPanel({ snapshot, verdict, omit }: Props) {
  const look = VERDICT_LOOK[verdict.state];
  const d = snapshot.deployment;
  const pods = snapshot.pods;
  const nameWidth = Math.max(0, ...pods.map((p) => p.name.length));
  const phaseWidth = Math.max(0, ...pods.map((p) => p.phase.length));
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text>
        <Text color={look.tint}>{look.mark}</Text> <Text bold>Readiness</Text>{' '}
        <Text color={look.tint}>{look.word}</Text> <Text color={color.muted}>· {verdict.progress}</Text>
      </Text>
      {d ? (
        <Text>
          {'  '}Deployment <Text bold>{d.name}</Text>
          {'  '}Desired {d.desired}, Ready {d.ready}/{d.desired}, Available {d.available}/{d.desired}
        </Text>
      ) : (
        <Text color={color.muted}>  Deployment not found yet</Text>
      )}
      {pods.map((pod) => {
        const readyContainers = pod.containers.filter((c) => c.ready).length;
        const restarts = pod.containers.reduce((sum, c) => sum + c.restartCount, 0);
        return (
          <Text key={pod.name} wrap="truncate-end" color={pod.deleting ? color.muted : undefined}>
            {'    '}
            {pod.name.padEnd(nameWidth)}  {pod.phase.padEnd(phaseWidth)}  ready {readyContainers}/
            {pod.containers.length}  restarts {restarts}  <Text color={pod.ready ? color.ok : color.warn}>{containerState(pod)}</Text>
            {pod.deleting ? ' (terminating)' : ''}
          </Text>
        );
      })}
      {visibleFindings(verdict, omit).map(({ finding, showNext }, i) => (
        <Box key={`${finding.code}-${finding.pod ?? ''}-${i}`} flexDirection="column">
          <Text color={look.tint} bold>
            {'  '}
            {look.mark} {finding.summary}
          </Text>
          {showNext ? (
            <Text>
              {'    '}
              <Text color={color.accent}>{glyph.next}</Text> {finding.next}
            </Text>
          ) : null}
        </Box>
      ))}
    </Box>
  );
}
