import { optionError } from '../../options/catalogue.js';
import type { OptionValues } from '../../options/values.js';
import { inspectCaPem } from '../../plan/ca-cert.js';
import type { FilesPort } from '../../ports/files.js';
import { valuesFileProblem } from './check-values-file.js';
import { loadKasCa, type LoadedCa } from './load-kas-ca.js';

export interface LocalInputs {
  gitlabCa?: string;
  kasCa?: LoadedCa;
}

type LocalOptions = Pick<OptionValues, 'values' | 'gitlabCa' | 'kasCaCert' | 'allowExpiredCa'> &
  Partial<Pick<OptionValues, 'chart' | 'helmLog' | 'valuesOut' | 'bundle'>>;

/**
 * Everything named on the command line that lives on this machine, read and checked before any network
 * call: a bad path, a values file helm would refuse, or an output that could not be written fails in
 * milliseconds, with nothing created anywhere.
 */
export async function readLocalInputs(opts: LocalOptions, files: FilesPort): Promise<LocalInputs> {
  for (const file of opts.values) {
    const text = await files.readText(file).catch((err: Error) => {
      throw optionError('values', `cannot read ${file}: ${err.message}`, 'pass a readable values file');
    });
    const problem = valuesFileProblem(text);
    if (problem)
      throw optionError(
        'values',
        `${file} ${problem}`,
        problem.startsWith('carries')
          ? 'let the tool create the token Secret, or pass --token-secret'
          : 'pass a YAML mapping of chart values',
      );
  }
  if (opts.chart && !opts.chart.startsWith('oci://')) {
    const kind = await files.kind(opts.chart);
    if (kind === 'missing')
      throw optionError('chart', `${opts.chart} does not exist`, 'pass a chart directory, a .tgz or an oci:// reference');
    if (kind === 'file' && !/\.tgz$|\.tar\.gz$/.test(opts.chart))
      throw optionError('chart', `${opts.chart} is a file but not a .tgz chart archive`, 'pass a chart directory or a .tgz');
    if (kind === 'directory' && (await files.kind(`${opts.chart.replace(/\/+$/, '')}/Chart.yaml`)) !== 'file') {
      throw optionError('chart', `${opts.chart} has no Chart.yaml`, 'pass the directory of the chart itself');
    }
  }
  for (const id of ['helmLog', 'valuesOut', 'bundle'] as const) {
    const path = opts[id];
    const problem = path ? await files.writeProblem(path) : undefined;
    if (problem) throw optionError(id, `${path} ${problem}`, 'choose a file in a directory you can write');
  }
  const gitlabCa = opts.gitlabCa ? await loadGitLabCa(opts.gitlabCa, files) : undefined;
  const kasCa = opts.kasCaCert ? await loadKasCa(opts.kasCaCert, files, opts.allowExpiredCa ?? false) : undefined;
  return { gitlabCa, kasCa };
}

/**
 * --gitlab-ca gets the same PEM check as --kas-ca-cert. An expired CA is refused outright: Node's TLS
 * would reject GitLab's certificate chain anyway, so there is no --allow-expired-ca for it.
 */
async function loadGitLabCa(path: string, files: FilesPort): Promise<string> {
  const pem = await files.readText(path).catch((err: Error) => {
    throw optionError('gitlabCa', `cannot read ${path}: ${err.message}`, 'pass the PEM file of the CA that signed GitLab');
  });
  const info = inspectCaPem(pem);
  if ('problem' in info) throw optionError('gitlabCa', `${path} ${info.problem}`, 'pass the PEM CA certificate that signed GitLab');
  if (info.expired) {
    throw optionError(
      'gitlabCa',
      `${path} expired on ${info.validTo.toISOString().slice(0, 10)} (${info.subject})`,
      'use the current CA certificate',
    );
  }
  return pem;
}
