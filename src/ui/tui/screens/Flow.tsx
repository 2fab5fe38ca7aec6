import { Box, Static, Text, useWindowSize } from 'ink';
import { useEffect, useMemo, useState } from 'react';
import type { ExitCode } from '../../../core/kernel/errors.js';
import type { CommandId, RunCommand } from '../../../core/commands/registry.js';
import type { FlowOutcome } from '../../../core/kernel/outcome.js';
import { KeyHints } from '../components/KeyHints.js';
import { LayerList } from '../components/LayerList.js';
import { LogPane } from '../panels/LogPane.js';
import { QuestionPrompt } from '../components/QuestionPrompt.js';
import { ReadinessPanel } from '../panels/ReadinessPanel.js';
import { Spinner } from '../components/Spinner.js';
import { StaticLine } from '../panels/StaticLine.js';
import { StepList } from '../components/StepList.js';
import { Title } from '../components/Title.js';
import { useExitAfterFrame } from '../hooks/useExitAfterFrame.js';
import { useFlowRunner } from '../hooks/useFlowRunner.js';
import { useKeymap } from '../hooks/useKeymap.js';
import { CANCELLING_KEYS, FLOW_BACK_KEYS, FLOW_KEYS, PROMPT_KEYS } from '../keys.js';
import { planFlowLayout } from '../state/flow-layout.js';
import type { StaticItem } from '../state/flow-reducer.js';
import { color } from '../theme.js';
import { FinalReport } from '../panels/FinalReport.js';
import { hasInteractiveSections, Results } from '../panels/Results.js';

interface Props {
  command: CommandId;
  /** "Install", for the title line. */
  label: string;
  start: RunCommand;
  version?: string;
  /** Set when the flow was picked from the menu: esc before the first answer goes back there. */
  onBack?: () => void;
  onFinish: (exitCode: ExitCode) => void;
}

/** What goes into <Static>: finished lines while running, then the final report once. */
type Printed = { kind: 'line'; key: string; item: StaticItem } | { kind: 'report'; key: string; outcome: FlowOutcome };

/**
 * One run of a command: finished lines in <Static>, then the small live area (running steps,
 * readiness, log tail, the pending question); when start() settles, the final report
 * is printed into <Static> too and the app exits.
 */
export function Flow({ command, label, start, version, onBack, onFinish }: Props) {
  const runner = useFlowRunner(command, start);
  const { view, log, pending, phase } = runner;
  const { rows, columns } = useWindowSize();

  const settled = phase.name === 'finished' ? phase.outcome : undefined;
  // Back to the menu only when the abandoned run left nothing behind; otherwise show what it left.
  const goesBack =
    phase.name === 'finished' && phase.backRequested && onBack !== undefined && !phase.outcome.ledger.some((e) => e.created);
  useEffect(() => {
    if (goesBack) onBack?.();
  }, [goesBack, onBack]);
  const outcome = goesBack ? undefined : settled;
  // A result with tables or findings stays open to be read; anything else exits once it is drawn.
  const interactive = hasInteractiveSections(outcome?.sections);
  const [resultsClosed, setResultsClosed] = useState(false);
  useExitAfterFrame(outcome && (!interactive || resultsClosed) ? outcome.exitCode : undefined, onFinish);

  // Esc: back one question where the flow allows it, else out to the menu while nothing has been created.
  const stepsBack = pending?.question.canGoBack === true;
  const atFirst = pending !== undefined && (view.answered === 0 || pending.question.id === view.firstQuestion);
  const leaves = !stepsBack && onBack !== undefined && atFirst && !view.ledger.some((e) => e.created);
  const flowKeys = stepsBack || leaves ? FLOW_BACK_KEYS : FLOW_KEYS;
  useKeymap(flowKeys, { cancel: runner.cancel, back: stepsBack ? runner.stepBack : runner.back }, phase.name === 'running');
  useKeymap(CANCELLING_KEYS, { cancel: runner.quitNow }, phase.name === 'cancelling');

  const layout = planFlowLayout({
    rows,
    columns,
    view,
    logLines: log.total,
    outcome,
  });
  const { readiness } = layout;

  const printed = useMemo<Printed[]>(() => {
    const lines = view.staticItems.map((item): Printed => ({ kind: 'line', key: item.key, item }));
    return outcome ? [...lines, { kind: 'report', key: 'report', outcome }] : lines;
  }, [view.staticItems, outcome]);

  if (goesBack) return null;
  return (
    <Box flexDirection="column">
      <Static items={printed}>
        {(p) =>
          p.kind === 'line' ? (
            <StaticLine key={p.key} item={p.item} />
          ) : (
            <FinalReport key={p.key} outcome={p.outcome} view={view} log={log} layout={layout} />
          )
        }
      </Static>
      <Title version={version} section={label} />
      <StepList steps={view.liveSteps} />
      {!outcome && view.layers ? <LayerList layers={view.layers} /> : null}
      {!outcome && readiness ? (
        <ReadinessPanel snapshot={readiness.snapshot} verdict={readiness.verdict} omit={layout.omitFindings} />
      ) : null}
      {!outcome && layout.showLog ? (
        <Box marginTop={1}>
          <LogPane log={log} rows={layout.logRows} running />
        </Box>
      ) : null}
      {pending ? (
        <Box flexDirection="column" marginTop={1}>
          <QuestionPrompt key={pending.seq} question={pending.question} onSubmit={runner.answer} />
        </Box>
      ) : null}
      {phase.name === 'cancelling' ? (
        <Box marginTop={1}>
          <Text color={color.warn}>
            <Spinner /> {phase.reason === 'back' ? 'going back…' : `cancelling… (stopping ${phase.stopping.length > 0 ? phase.stopping.join(' and ') : 'the run'})`}
          </Text>
        </Box>
      ) : null}
      {outcome && interactive && !resultsClosed ? (
        <Results sections={outcome.sections ?? []} rows={Math.max(5, rows - 4)} onDone={() => setResultsClosed(true)} />
      ) : outcome ? (
        <KeyHints bindings={[]} note={`exit code ${outcome.exitCode}`} />
      ) : phase.name === 'cancelling' ? (
        <KeyHints bindings={CANCELLING_KEYS} note="waiting for the run to stop" />
      ) : (
        <KeyHints bindings={[...(pending ? PROMPT_KEYS[pending.question.kind] : []), ...flowKeys]} />
      )}
    </Box>
  );
}
