import { optionError } from '../../options/catalogue.js';
import type { OptionValues } from '../../options/values.js';
import type { FilesPort } from '../../ports/files.js';
import { inspectCaPem } from '../../plan/ca-cert.js';
import { loadKasCa, type LoadedCa } from './load-kas-ca.js';

export interface LocalInputs {
  gitlabCa?: string;
  kasCa?: LoadedCa;
}

type LocalOptions = Pick<OptionValues, 'values' | 'gitlabCa' | 'kasCaCert' | 'allowExpiredCa'>;

/** Files named on the command line, read and checked before any network call: a bad path fails in milliseconds. */
export async function readLocalInputs(opts: LocalOptions, files: FilesPort): Promise<LocalInputs> {
  for (const file of opts.values) {
    if (!(await files.exists(file))) throw optionError('values', `${file} does not exist`, 'pass a readable values file');
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
    throw optionError('gitlabCa', `${path} expired on ${info.validTo.toISOString().slice(0, 10)} (${info.subject})`, 'use the current CA certificate');
  }
  return pem;
}
