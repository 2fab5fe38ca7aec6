import { ExitCode } from '../../kernel/errors.js';
import { GoBack } from '../../kernel/journal.js';
import { redact } from '../../kernel/safe-text.js';
import type { FlowIO } from '../../kernel/io.js';
import type { Ledger } from '../../kernel/ledger.js';
import type { FlowOutcome } from '../../kernel/outcome.js';
import type { Ports } from '../../ports/index.js';
import type { Checked } from './check.js';
import type { Gathered } from './gather.js';
import type { InstallOptions } from './options.js';
import { askExport, exportOutcome, writeExport } from './export.js';
import { reviewItems } from './review-items.js';

export type ReviewDecision =
  | { kind: 'apply' }
  /** The run ends here: a dry run, or Cancel. */
  | { kind: 'end'; outcome: FlowOutcome }
  /** Change the answer to this question, then come back to the review. */
  | { kind: 'edit'; question: string; label: string };

/**
 * The review phase: everything on one screen with the pasteable equivalent; a dry run ends here, and
 * otherwise nothing happens until the user says Install. Any answer given in this run can be changed
 * from here (`answered`: the question ids asked so far).
 */
export async function reviewInstall(
  g: Gathered,
  c: Checked,
  opts: InstallOptions,
  ports: Ports,
  io: FlowIO,
  ledger: Ledger,
  answered: readonly string[] = [],
): Promise<ReviewDecision> {
  const command = g.delivery.pasteable(g.target, g.settings, g.plan, c.delivery?.state);
  const items = reviewItems(g, c);
  io.emit({ type: 'review', items, command });
  const editable = items.filter((i) => i.answer !== undefined && answered.includes(i.answer));
  // Written for Git: never a live secret, whatever a values file smuggled in.
  const exported = () => redact(g.delivery.exportText(g.settings, g.plan, g.target));
  if (opts.valuesOut) {
    await ports.files.writeText(opts.valuesOut, exported());
    io.emit({ type: 'info', text: `values written to ${opts.valuesOut} (no token in them)` });
  }
  if (opts.exportDir !== undefined) return { kind: 'end', outcome: await exportOutcome(g, c, opts, ports, io, ledger.entries) };
  if (opts.dryRun) {
    return {
      kind: 'end',
      outcome: {
        exitCode: ExitCode.ok,
        headline: 'Dry run: nothing was created.',
        details: [],
        ledger: ledger.entries,
        sections: [{ kind: 'code', title: 'The install would run:', text: command }],
      },
    };
  }
  for (;;) {
    const choice = await io.asker.ask({
      kind: 'select',
      id: 'review',
      fresh: true,
      message: 'Install with these settings?',
      choices: [
        { value: 'apply', label: 'Install', hint: `register, create the token Secret, then ${g.delivery.applyTitle ?? 'run helm'}` },
        ...(editable.length > 0
          ? [{ value: 'edit', label: 'Change an answer…', hint: 'then back to this review; nothing is created meanwhile' }]
          : []),
        { value: 'save-values', label: 'Write the values to a file', hint: 'for GitOps; no token in it' },
        { value: 'export', label: 'Export as code instead', hint: 'helm values, Flux, kustomize or Terraform files; nothing is created' },
        { value: 'save-script', label: 'Write the commands to a file', hint: 'the script above, to run or read later; no token in it' },
        { value: 'cancel', label: 'Cancel', hint: 'nothing has been created' },
      ],
      default: 'apply',
    });
    if (choice === 'apply') return { kind: 'apply' };
    if (choice === 'cancel')
      return {
        kind: 'end',
        outcome: {
          exitCode: ExitCode.cancelled,
          headline: 'Cancelled at review: nothing was created.',
          details: [],
          ledger: ledger.entries,
        },
      };
    if (choice === 'edit') {
      const which = await backToReview(
        io.asker.ask({
          kind: 'select',
          id: 'review-edit',
          fresh: true,
          message: 'Which answer do you want to change?',
          choices: [
            ...editable.map((i) => ({ value: i.answer!, label: i.label, hint: i.value })),
            { value: '', label: 'none', hint: 'back to the review' },
          ],
          default: editable[0]!.answer,
        }),
      );
      const item = editable.find((i) => i.answer === which);
      if (item) return { kind: 'edit', question: item.answer!, label: item.label };
      continue;
    }
    if (choice === 'export') {
      const where = await backToReview(askExport(g, io));
      if (!where) continue;
      const { format, dir } = where;
      const files = await writeExport(g, c, opts, format, dir, ports);
      io.emit({ type: 'info', text: `exported as ${format}: ${files.join(', ')} (no token in them)` });
      continue;
    }
    if (choice === 'save-script') {
      const file = await backToReview(
        io.asker.ask({
          kind: 'input',
          id: 'script-path',
          fresh: true,
          message: 'Write the commands to',
          default: `./install-${g.delivery.nameOf(g.plan)}.sh`,
        }),
      );
      if (file === undefined) continue;
      await ports.files.writeText(file, `${redact(command)}\n`);
      io.emit({
        type: 'info',
        text: `commands written to ${file} (no token in them; run with bash after saving the agent token to ./agent-token)`,
      });
      continue;
    }
    const path = await backToReview(
      io.asker.ask({
        kind: 'input',
        id: 'values-path',
        fresh: true,
        message: 'Write values to',
        default: `./${g.delivery.nameOf(g.plan)}-values.yaml`,
      }),
    );
    if (path === undefined) continue;
    await ports.files.writeText(path, exported());
    io.emit({ type: 'info', text: `values written to ${path} (no token in them)` });
  }
}

/** Esc on a question the review led to (which answer, where to write) goes back to the review itself. */
async function backToReview<T>(answer: Promise<T>): Promise<T | undefined> {
  try {
    return await answer;
  } catch (err) {
    if (err instanceof GoBack) return undefined;
    throw err;
  }
}
