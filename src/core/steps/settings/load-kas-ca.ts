import { optionError } from '../../options/catalogue.js';
import { inspectCaPem, type CaCertInfo } from '../../plan/ca-cert.js';
import type { FilesPort } from '../../ports/files.js';

export interface LoadedCa {
  pem: string;
  info: CaCertInfo;
}

/** Reads and checks the KAS CA file: PEM via node:crypto, subject and expiry shown, expired refused unless allowed. */
export async function loadKasCa(path: string, files: FilesPort, allowExpired: boolean): Promise<LoadedCa> {
  let pem: string;
  try {
    pem = await files.readText(path);
  } catch (err) {
    throw optionError('kasCaCert', `cannot read ${path}: ${(err as Error).message}`, 'pass the path of a PEM file');
  }
  const info = inspectCaPem(pem);
  if ('problem' in info) throw optionError('kasCaCert', `${path} ${info.problem}`, 'pass the PEM CA certificate KAS is signed with');
  if (info.expired && !allowExpired) {
    throw optionError(
      'kasCaCert',
      `${path} expired on ${info.validTo.toISOString().slice(0, 10)} (${info.subject})`,
      'use a current CA, or pass --allow-expired-ca',
    );
  }
  return { pem, info };
}
