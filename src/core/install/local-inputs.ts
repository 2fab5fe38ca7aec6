import { UsageError } from '../errors.js';
import { type CaCertInfo, inspectCaPem } from '../plan/ca-cert.js';
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
  const gitlabCa = opts.gitlabCa ? await loadGitLabCa(opts.gitlabCa, deps) : undefined;
  const kasCa = opts.kasCaCert ? await loadKasCa(opts.kasCaCert, deps, opts.allowExpiredCa ?? false) : undefined;
  return { gitlabCa, kasCa };
}

/**
 * --gitlab-ca gets the same PEM check as --kas-ca-cert. An expired CA is refused outright: Node's TLS
 * would reject GitLab's certificate chain anyway, so there is no --allow-expired-ca for it.
 */
async function loadGitLabCa(path: string, deps: InstallDeps): Promise<string> {
  const pem = await deps.files.readText(path).catch((err: Error) => {
    throw new UsageError('--gitlab-ca', `cannot read ${path}: ${err.message}`, 'pass the PEM file of the CA that signed GitLab');
  });
  const info = inspectCaPem(pem);
  if ('problem' in info) throw new UsageError('--gitlab-ca', `${path} ${info.problem}`, 'pass the PEM CA certificate that signed GitLab');
  if (info.expired) {
    throw new UsageError('--gitlab-ca', `${path} expired on ${info.validTo.toISOString().slice(0, 10)} (${info.subject})`, 'use the current CA certificate');
  }
  return pem;
}
