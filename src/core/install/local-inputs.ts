import { UsageError } from '../errors.js';
import type { CaCertInfo } from '../plan/ca-cert.js';
import { loadKasCa } from './choose-options.js';
import type { InstallDeps } from './deps.js';
import type { InstallOptions } from './options.js';

export interface LocalInputs {
  gitlabCa?: string;
  kasCa?: { pem: string; info: CaCertInfo };
}

/** Files named on the command line, read and checked before any network call: a bad path fails in milliseconds. */
export async function readLocalInputs(opts: InstallOptions, deps: InstallDeps): Promise<LocalInputs> {
  for (const file of opts.values) {
    if (!(await deps.files.exists(file))) throw new UsageError('--values', `${file} does not exist`, 'pass a readable values file');
  }
  const gitlabCa = opts.gitlabCa
    ? await deps.files.readText(opts.gitlabCa).catch((err: Error) => {
        throw new UsageError('--gitlab-ca', `cannot read ${opts.gitlabCa}: ${err.message}`, 'pass the PEM file of the CA that signed GitLab');
      })
    : undefined;
  const kasCa = opts.kasCaCert ? await loadKasCa(opts.kasCaCert, deps, opts.allowExpiredCa ?? false) : undefined;
  return { gitlabCa, kasCa };
}
