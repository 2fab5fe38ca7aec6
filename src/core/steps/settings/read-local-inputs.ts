import { optionError } from '../../options/catalogue.js';
import type { OptionValues } from '../../options/values.js';
import type { FilesPort } from '../../ports/files.js';
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
  const gitlabCa = opts.gitlabCa
    ? await files.readText(opts.gitlabCa).catch((err: Error) => {
        throw optionError('gitlabCa', `cannot read ${opts.gitlabCa}: ${err.message}`, 'pass the PEM file of the CA that signed GitLab');
      })
    : undefined;
  const kasCa = opts.kasCaCert ? await loadKasCa(opts.kasCaCert, files, opts.allowExpiredCa ?? false) : undefined;
  return { gitlabCa, kasCa };
}
