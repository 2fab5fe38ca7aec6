import { Box, Text } from 'ink';
import type { ReadinessVerdict } from '../../../core/readiness/diagnose.js';
import type { PodView, ReadinessSnapshot } from '../../../core/readiness/snapshot.js';
import { Hanging } from '../components/Hanging.js';
import type { ReadinessPlan } from '../state/live-budget.js';
import type { VisibleFinding } from '../state/readiness-view.js';
import { color, glyph } from '../theme.js';

interface Props {
  snapshot: ReadinessSnapshot;
  verdict: ReadinessVerdict;
  /** The findings to draw (see visibleFindings). */
  findings: readonly VisibleFinding[];
  /** In the live area: how much of it fits (see planLiveArea). Without it, everything, wrapped. */
  plan?: ReadinessPlan;
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

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** cilium-style status: the Deployment's counts, one row per pod, then the findings with next steps. */
export function ReadinessPanel({ snapshot, verdict, findings, plan }: Props) {
  const look = VERDICT_LOOK[verdict.state];
  const d = snapshot.deployment;
  const pods = snapshot.pods.slice(0, plan?.pods);
  const shownFindings = findings.slice(0, plan?.findings);
  const truncate = plan !== undefined && !plan.wrap;
  const nameWidth = Math.max(0, ...pods.map((p) => p.name.length));
  const phaseWidth = Math.max(0, ...pods.map((p) => p.phase.length));
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text wrap="truncate-end">
        <Text color={look.tint}>{look.mark}</Text> <Text bold>Readiness</Text>{' '}
        <Text color={look.tint}>{look.word}</Text> <Text color={color.muted}>· {verdict.progress}</Text>
      </Text>
      {d ? (
        <Text wrap="truncate-end">
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
      {pods.length < snapshot.pods.length ? (
        <Text color={color.muted}>
          {'    '}
          {glyph.more} {plural(snapshot.pods.length - pods.length, 'more pod')}
        </Text>
      ) : null}
      {shownFindings.map(({ finding, showNext }, i) => (
        <Box key={`${finding.code}-${finding.pod ?? ''}-${i}`} flexDirection="column">
          <Hanging indent={2} lead={`${look.mark} `} tint={look.tint} bold truncate={truncate}>
            {finding.summary}
          </Hanging>
          {showNext ? (
            <Hanging indent={4} lead={<Text color={color.accent}>{glyph.next} </Text>} truncate={truncate}>
              {finding.next}
            </Hanging>
          ) : null}
        </Box>
      ))}
      {shownFindings.length < findings.length ? (
        <Text color={color.muted}>
          {'  '}
          {glyph.more} {plural(findings.length - shownFindings.length, 'more finding')} (in the report at the end)
        </Text>
      ) : null}
    </Box>
  );
}
