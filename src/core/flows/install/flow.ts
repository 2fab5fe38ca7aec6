import { ExitCode } from '../../kernel/errors.js';
import type { FlowIO } from '../../kernel/io.js';
import { GoBack, AnswerJournal } from '../../kernel/journal.js';
import { Ledger } from '../../kernel/ledger.js';
import type { FlowOutcome } from '../../kernel/outcome.js';
import { StepRunner } from '../../kernel/step-runner.js';
import { NOTHING_CREATED, toOutcome } from '../../kernel/to-outcome.js';
import { validateOptions } from '../../options/catalogue.js';
import type { Ports } from '../../ports/index.js';
import { removeCreated, type CleanupReport } from '../../steps/cleanup.js';
import { readLocalInputs } from '../../steps/settings/read-local-inputs.js';
import { listKubeContexts } from '../../steps/target/choose-context.js';
import { explainGitLabError } from '../../steps/target/connect-gitlab.js';
import { applyInstall } from './apply.js';
import { checkInstall, type Checked } from './check.js';
import { requireFlagAnswers } from './flag-mode.js';
import { gatherInstall, type Gathered } from './gather.js';
import { INSTALL_OPTION_IDS, type InstallOptions } from './options.js';
import { equivalentSection, installedOutcome } from './report.js';
import { installAnswers } from './answers.js';
import { equivalentInstallCommand } from '../../plan/equivalent-command.js';
import { reviewInstall } from './review.js';
import { verifyInstall } from './verify.js';

/**
 * The guided install, in phases: gather every answer, check everything read-only, review, then
 * apply (agent, token Secret, the delivery) and verify (Ready, connected). Nothing is created
 * before the review is accepted; a failure after that offers to remove what this run created.
 */
export async function runInstall(opts: InstallOptions, ports: Ports, io: FlowIO): Promise<FlowOutcome> {
  const ledger = new Ledger(io.emit);
  const steps = new StepRunner(io.emit, io.signal);
  let gathered: Gathered | undefined;
  let checked: Checked | undefined;
  // After an interactive run (TUI or plain prompts): the same run as a command line, to repeat it in CI.
  const equivalent = () =>
    io.asker.cannotAsk === undefined && gathered ? equivalentInstallCommand(installAnswers(gathered, checked, opts)) : undefined;
  const withEquivalent = (outcome: FlowOutcome): FlowOutcome => {
    const command = equivalent();
    return command ? { ...outcome, sections: [...(outcome.sections ?? []), equivalentSection(command)] } : outcome;
  };
  try {
    validateOptions(INSTALL_OPTION_IDS, opts);
    const local = await readLocalInputs(opts, ports.files);
    // Local first (files, the kubeconfig), then every missing answer at once, then the network.
    await listKubeContexts({ kubeconfig: opts.kubeconfig }, opts.context, ports);
    await requireFlagAnswers(opts, ports, io.asker);
    // Everything up to the review is read-only, so it may run again: back one question, or an answer changed.
    const journal = new AnswerJournal();
    let pass = journal.begin(io);
    for (;;) {
      const passSteps = new StepRunner(pass.emit, io.signal);
      try {
        gathered = await gatherInstall(opts, local, ports, pass, passSteps);
        for (const w of gathered.warnings) pass.emit({ type: 'warn', text: w });
        // An export only writes files: it needs no rights in the cluster.
        checked =
          opts.exportDir !== undefined
            ? {
                namespaceExists: false,
                cluster: gathered.chosen.probe.ok
                  ? await ports.kube.cluster({ kubeconfig: opts.kubeconfig }, gathered.target.context)
                  : undefined,
              }
            : await checkInstall(gathered, opts, ports, pass, passSteps);
        const decision = await reviewInstall(gathered, checked, opts, ports, pass, ledger, journal.ids);
        if (decision.kind === 'end')
          return opts.dryRun && decision.outcome.exitCode === ExitCode.ok ? withEquivalent(decision.outcome) : decision.outcome;
        if (decision.kind === 'apply') break;
        journal.edit(decision.question);
        io.emit({ type: 'rewind', reason: 'edit', question: decision.label });
      } catch (err) {
        if (!(err instanceof GoBack)) throw err;
        // At the first question there is nothing before it: it is simply asked again.
        if (journal.back()) io.emit({ type: 'rewind', reason: 'back' });
      }
      pass = journal.begin(io);
    }
    const applied = await applyInstall(gathered, checked, opts, ports, io, steps, ledger);
    const connection = await verifyInstall(gathered, applied, opts, ports, io, steps);
    return installedOutcome(gathered, applied, connection, ledger.entries, equivalent());
  } catch (caught) {
    // GitLab failing (5xx, network) in any later step gets the same Next: line as in the connect step.
    const err = explainGitLabError(gathered?.session.client.url, caught);
    const outcome = toOutcome(err, ledger.entries);
    if (outcome.exitCode !== ExitCode.failure) return outcome;
    if (!gathered || ledger.created.length === 0) return withEquivalent(outcome);
    const cleaned = await offerCleanup(gathered, checked, opts, ports, io, ledger);
    if (!cleaned) return withEquivalent(outcome);
    const base = toOutcome(err, []);
    // What was removed is said once, as removed; the ledger says it is gone, so no front end lists it as created.
    const gone = new Set(cleaned.removed);
    const entries = ledger.entries.map((e) => (gone.has(e) ? { ...e, removed: true } : e));
    return withEquivalent({
      ...base,
      details: [...base.details.filter((d) => d !== NOTHING_CREATED), 'Cleaned up:', ...cleaned.lines.map((r) => `  ${r}`)],
      ledger: entries,
    });
  }
}

/** After a failure, remove what this run created: with --cleanup-on-failure, or when the user says so. */
async function offerCleanup(
  g: Gathered,
  c: Checked | undefined,
  opts: InstallOptions,
  ports: Ports,
  io: FlowIO,
  ledger: Ledger,
): Promise<CleanupReport | undefined> {
  const wanted =
    opts.cleanupOnFailure ||
    (await io.asker
      .ask({
        kind: 'confirm',
        id: 'cleanup',
        // The failure itself is on screen already (the failed step, the panel above, the report to come): not said again here.
        message: `The install failed. Remove what this run created (${ledger.created.map((e) => e.kind).join(', ')})?`,
        help: 'No keeps everything, so a re-run can continue where this one stopped.',
        default: false,
      })
      .catch(() => false));
  if (!wanted) return undefined;
  return removeCreated(ledger.entries, {
    projectId: g.target.projectId,
    agentId: g.target.agentId,
    cluster: c?.cluster,
    client: g.session.client,
    removeRelease: (entry) => g.delivery.remove(entry, g.target, g.plan, ports, io),
  });
}
