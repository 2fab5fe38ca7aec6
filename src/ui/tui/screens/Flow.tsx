import { Box, Static, Text, useWindowSize } from 'ink';
import { useEffect, useMemo, useState } from 'react';
import type { ExitCode } from '../../../core/kernel/errors.js';
import type { CommandId, RunCommand } from '../../../core/commands/registry.js';
import type { FlowOutcome } from '../../../core/kernel/outcome.js';
import { Banner } from '../components/Banner.js';
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
  /** A --demo run: the simulation banner heads the live area and the report. */
  simulated?: boolean;
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
export function Flow({ command, label, start, version, simulated, onBack, onFinish }: Props) {
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

  // The helm pane's clock stops with helm, not with the run.
  const logRunning = log.source !== undefined && view.liveSteps.some((s) => s.activity === log.source);
  const cancelling = phase.name === 'cancelling';
  const layout = planFlowLayout({
    rows,
    columns,
    view,
    // Once helm is done and the pods are watched, its tail gives way to the readiness panel.
    logLines: logRunning || !view.readiness ? log.lines.length : 0,
    // Banner, title, the doctor's layers with their heading, the hint bar with its margin, and "cancelling…" with its margin.
    fixedRows: (simulated ? 1 : 0) + 1 + (view.layers && !outcome ? view.layers.length + 1 : 0) + 2 + (cancelling ? 2 : 0),
    question: pending?.question,
    outcome,
  });
  const { readiness, live } = layout;

  const printed = useMemo<Printed[]>(() => {
    const lines = view.staticItems.map((item): Printed => ({ kind: 'line', key: item.key, item }));
    return outcome ? [...lines, { kind: 'report', key: 'report', outcome }] : lines;
  }, [view.staticItems, outcome]);

  if (goesBack) return null;
  return (
    <Box flexDirection="column">
      <Static items={printed}>
        {(p) => (
          // As wide as the terminal: a <Static> item is otherwise sized by its content, and rows with a hanging
          // indent would make it wider than the screen, where the terminal wraps them at column 0.
          <Box key={p.key} width={columns} flexDirection="column">
            {p.kind === 'line' ? (
              <StaticLine item={p.item} />
            ) : (
              <FinalReport outcome={p.outcome} log={log} layout={layout} stopped={view.liveSteps} simulated={simulated} />
            )}
          </Box>
        )}
      </Static>
      {outcome && !(interactive && !resultsClosed) ? null : (
        // The live area: the header on top, then what runs, then the question, all within the rows that exist.
        <Box flexDirection="column">
          {simulated ? <Banner /> : null}
          <Title version={version} section={label} />
          {outcome ? null : (
            <>
              <StepList steps={view.liveSteps} waitingSince={view.waitingSince} rows={live.steps} />
              {view.layers ? <LayerList layers={view.layers} /> : null}
              {readiness && live.readiness ? (
                <ReadinessPanel snapshot={readiness.snapshot} verdict={readiness.verdict} findings={layout.findings} plan={live.readiness} />
              ) : null}
              {live.logLines > 0 ? (
                <Box marginTop={1}>
                  <LogPane log={log} rows={live.logLines} running={logRunning} />
                </Box>
              ) : null}
            </>
          )}
          {pending ? (
            <Box flexDirection="column" marginTop={1}>
              <QuestionPrompt key={pending.seq} question={pending.question} onSubmit={runner.answer} choiceRows={live.choiceRows} />
            </Box>
          ) : null}
          {phase.name === 'cancelling' ? (
            <Box marginTop={1}>
              <Text color={color.warn} wrap="truncate-end">
                <Spinner /> {phase.reason === 'back' ? 'going back…' : `cancelling… (stopping ${phase.stopping.length > 0 ? phase.stopping.join(' and ') : 'the run'})`}
              </Text>
            </Box>
          ) : null}
          {outcome ? (
            <Results sections={outcome.sections ?? []} rows={Math.max(5, rows - 4)} onDone={() => setResultsClosed(true)} />
          ) : cancelling ? (
            <KeyHints bindings={CANCELLING_KEYS} note="waiting for the run to stop" />
          ) : (
            <KeyHints bindings={[...(pending ? PROMPT_KEYS[pending.question.kind] : []), ...flowKeys]} />
          )}
        </Box>
      )}
    </Box>
  );
}
