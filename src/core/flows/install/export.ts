import { ExitCode } from '../../kernel/errors.js';
import type { FlowIO } from '../../kernel/io.js';
import type { LedgerEntry } from '../../kernel/events.js';
import type { FlowOutcome } from '../../kernel/outcome.js';
import { redact } from '../../kernel/safe-text.js';
import { chooseFluxVersions, FLUX_GROUPS, NEWEST_FLUX_API_VERSIONS, type FluxApiVersions } from '../../plan/flux/api-versions.js';
import { EXPORT_FORMATS, type ExportFormat } from '../../plan/choices.js';
import { defaultExportFormat, EXPORT_HINTS, exportFiles } from '../../plan/export.js';
import { DEFAULT_CHART_REPO } from '../../plan/helm/release-plan.js';
import { aboutOption } from '../../steps/ask.js';
import type { Ports } from '../../ports/index.js';
import type { Checked } from './check.js';
import type { Gathered } from './gather.js';
import type { InstallOptions } from './options.js';

/** What `install --export DIR --output json` prints. */
export interface ExportResult {
  schemaVersion: 1;
  export: { format: ExportFormat; dir: string; files: string[] };
}

/** Flux's API versions as the cluster serves them (the newest we know when it has no Flux or is unreachable). */
async function fluxVersionsFor(c: Checked): Promise<FluxApiVersions> {
  if (!c.cluster) return NEWEST_FLUX_API_VERSIONS;
  const served = {
    source: await c.cluster.servedVersions(FLUX_GROUPS.source).catch(() => []),
    kustomize: await c.cluster.servedVersions(FLUX_GROUPS.kustomize).catch(() => []),
    helm: await c.cluster.servedVersions(FLUX_GROUPS.helm).catch(() => []),
  };
  return { ...NEWEST_FLUX_API_VERSIONS, ...chooseFluxVersions(served) };
}

/** Writes one format into `dir`; nothing is created anywhere else. Returns the paths written. */
export async function writeExport(
  g: Gathered,
  c: Checked,
  opts: InstallOptions,
  format: ExportFormat,
  dir: string,
  ports: Ports,
): Promise<string[]> {
  const plan = g.plan as { chartVersion?: string; helm?: { chartVersion?: string } };
  const state = c.delivery?.state as { fluxNamespace?: string } | undefined;
  const files = exportFiles(format, {
    target: g.target,
    settings: g.settings,
    name: g.delivery.nameOf(g.plan),
    chartRepo: opts.chartRepo ?? DEFAULT_CHART_REPO,
    chartVersion: opts.chartVersion ?? plan.chartVersion ?? plan.helm?.chartVersion,
    fluxNamespace: state?.fluxNamespace ?? 'flux-system',
    fluxApiVersions: format === 'flux' ? await fluxVersionsFor(c) : NEWEST_FLUX_API_VERSIONS,
    defaultBranch: g.defaultBranch ?? 'main',
  });
  const root = dir.replace(/\/+$/, '') || '.';
  await ports.files.ensureDir(root);
  const written: string[] = [];
  for (const f of files) {
    const path = `${root}/${f.path}`;
    const parent = path.slice(0, path.lastIndexOf('/'));
    if (parent !== root) await ports.files.ensureDir(parent);
    // Written for Git: never a live secret, whatever a values file smuggled in.
    await ports.files.writeText(path, redact(f.content));
    written.push(path);
  }
  return written;
}

/** --export: the review, then the files; exit 0 with nothing created. */
export async function exportOutcome(
  g: Gathered,
  c: Checked,
  opts: InstallOptions,
  ports: Ports,
  io: FlowIO,
  ledger: LedgerEntry[],
): Promise<FlowOutcome<ExportResult>> {
  const format = (opts.exportFormat as ExportFormat | undefined) ?? defaultExportFormat(g.delivery.method);
  const dir = opts.exportDir ?? '.';
  const files = await writeExport(g, c, opts, format, dir, ports);
  for (const f of files) io.emit({ type: 'info', text: `wrote ${f}` });
  return {
    exitCode: ExitCode.ok,
    headline: `Exported as ${format} to ${dir}: nothing was created.`,
    details: [
      ...files.map((f) => `  ${f}`),
      'No token is in any of these files: the agent reads it from a Secret created through the API (or by Terraform).',
    ],
    ledger,
    data: { schemaVersion: 1, export: { format, dir, files } },
  };
}

/** The review's "Export as code" choice: which format, where. */
export async function askExport(g: Gathered, io: FlowIO): Promise<{ format: ExportFormat; dir: string }> {
  const format = await io.asker.ask({
    kind: 'select',
    ...aboutOption('exportFormat'),
    fresh: true,
    message: 'Export as',
    choices: EXPORT_FORMATS.map((f) => ({ value: f, label: f, hint: EXPORT_HINTS[f] })),
    default: defaultExportFormat(g.delivery.method),
  });
  const dir = await io.asker.ask({
    kind: 'input',
    ...aboutOption('exportDir'),
    fresh: true,
    message: 'Write the files into directory',
    default: `./${g.delivery.nameOf(g.plan)}-${format}`,
  });
  return { format, dir: dir.trim() };
}
