import { ExitCode } from '../../kernel/errors.js';
import type { FlowIO } from '../../kernel/io.js';
import { Ledger } from '../../kernel/ledger.js';
import type { FlowOutcome } from '../../kernel/outcome.js';
import { StepRunner } from '../../kernel/step-runner.js';
import { NOTHING_CREATED, toOutcome } from '../../kernel/to-outcome.js';
import { validateOptions } from '../../options/catalogue.js';
import type { Ports } from '../../ports/index.js';
import { removeCreated } from '../../steps/cleanup.js';
import { readLocalInputs } from '../../steps/settings/read-local-inputs.js';
import { listKubeContexts } from '../../steps/target/choose-context.js';
import { explainGitLabError } from '../../steps/target/connect-gitlab.js';
import { applyInstall } from './apply.js';
import { checkInstall, type Checked } from './check.js';
import { requireFlagAnswers } from './flag-mode.js';
import { gatherInstall, type Gathered } from './gather.js';
import { INSTALL_OPTION_IDS, type InstallOptions } from './options.js';
import { installedOutcome } from './report.js';
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
  try {
    validateOptions(INSTALL_OPTION_IDS, opts);
    const local = await readLocalInputs(opts, ports.files);
    // Local first (files, the kubeconfig), then every missing answer at once, then the network.
    await listKubeContexts({ kubeconfig: opts.kubeconfig }, opts.context, ports);
    await requireFlagAnswers(opts, ports, io.asker);
    gathered = await gatherInstall(opts, local, ports, io, steps);
    for (const w of gathered.warnings) io.emit({ type: 'warn', text: w });
    checked = await checkInstall(gathered, opts, ports, io, steps);
    const ended = await reviewInstall(gathered, checked, opts, ports, io, ledger);
    if (ended) return ended;
    const applied = await applyInstall(gathered, checked, opts, ports, io, steps, ledger);
    const connection = await verifyInstall(gathered, applied, opts, ports, io, steps);
    return installedOutcome(gathered, applied, connection, ledger.entries);
  } catch (caught) {
    // GitLab failing (5xx, network) in any later step gets the same Next: line as in the connect step.
    const err = explainGitLabError(gathered?.session.client.url, caught);
    const outcome = toOutcome(err, ledger.entries);
    if (outcome.exitCode !== ExitCode.failure || !gathered || ledger.created.length === 0) return outcome;
    const cleaned = await offerCleanup(outcome.headline, gathered, checked, opts, ports, io, ledger);
    if (!cleaned) return outcome;
    const base = toOutcome(err, []);
    return { ...base, details: [...base.details.filter((d) => d !== NOTHING_CREATED), 'Cleaned up:', ...cleaned.map((r) => `  ${r}`)], ledger: ledger.entries };
  }
}

/** After a failure, remove what this run created: with --cleanup-on-failure, or when the user says so. */
async function offerCleanup(
  headline: string,
  g: Gathered,
  c: Checked | undefined,
  opts: InstallOptions,
  ports: Ports,
  io: FlowIO,
  ledger: Ledger,
): Promise<string[] | undefined> {
  const wanted =
    opts.cleanupOnFailure ||
    (await io.asker
      .ask({
        kind: 'confirm',
        id: 'cleanup',
        message: `${headline} Remove what this run created (${ledger.created.map((e) => e.kind).join(', ')})?`,
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
