import { ExitCode } from '../../kernel/errors.js';
import { redact } from '../../kernel/safe-text.js';
import type { FlowIO } from '../../kernel/io.js';
import type { Ledger } from '../../kernel/ledger.js';
import type { FlowOutcome } from '../../kernel/outcome.js';
import type { Ports } from '../../ports/index.js';
import type { Checked } from './check.js';
import type { Gathered } from './gather.js';
import type { InstallOptions } from './options.js';
import { reviewItems } from './review-items.js';

/**
 * The review phase: everything on one screen with the pasteable equivalent; a dry run ends here, and
 * otherwise nothing happens until the user says Install. Returns an outcome when the run ends here.
 */
export async function reviewInstall(g: Gathered, c: Checked, opts: InstallOptions, ports: Ports, io: FlowIO, ledger: Ledger): Promise<FlowOutcome | undefined> {
  const command = g.delivery.pasteable(g.target, g.settings, g.plan);
  io.emit({ type: 'review', items: reviewItems(g, c), command });
  // Written for Git: never a live secret, whatever a values file smuggled in.
  const exported = () => redact(g.delivery.exportText(g.settings, g.plan));
  if (opts.valuesOut) {
    await ports.files.writeText(opts.valuesOut, exported());
    io.emit({ type: 'info', text: `values written to ${opts.valuesOut} (no token in them)` });
  }
  if (opts.dryRun) {
    return { exitCode: ExitCode.ok, headline: 'Dry run: nothing was created.', details: ['The install would run:', command], ledger: ledger.entries };
  }
  for (;;) {
    const choice = await io.asker.ask({
      kind: 'select',
      id: 'review',
      message: 'Install with these settings?',
      choices: [
        { value: 'apply', label: 'Install', hint: 'register, create the token Secret, run helm' },
        { value: 'save-values', label: 'Write the values to a file', hint: 'for GitOps; no token in it' },
        { value: 'cancel', label: 'Cancel', hint: 'nothing has been created' },
      ],
      default: 'apply',
    });
    if (choice === 'apply') return undefined;
    if (choice === 'cancel') return { exitCode: ExitCode.cancelled, headline: 'Cancelled at review: nothing was created.', details: [], ledger: ledger.entries };
    const path = await io.asker.ask({ kind: 'input', id: 'values-path', message: 'Write values to', default: `./${g.delivery.nameOf(g.plan)}-values.yaml` });
    await ports.files.writeText(path, exported());
    io.emit({ type: 'info', text: `values written to ${path} (no token in them)` });
  }
}
