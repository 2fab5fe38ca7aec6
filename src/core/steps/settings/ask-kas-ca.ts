import type { FlowIO } from '../../kernel/io.js';
import type { OptionValues } from '../../options/values.js';
import type { FilesPort } from '../../ports/files.js';
import { askOption } from '../ask.js';
import { loadKasCa, type LoadedCa } from './load-kas-ca.js';

type CaOptions = Pick<OptionValues, 'kasCaCert' | 'allowExpiredCa'>;

/** The CA KAS is signed with, if private: asked when not given, read and checked either way. */
export async function askKasCa(
  given: CaOptions,
  preloaded: LoadedCa | undefined,
  files: FilesPort,
  io: FlowIO,
): Promise<{ path: string; ca: LoadedCa } | undefined> {
  let path = given.kasCaCert;
  if (path === undefined) {
    const privateCa = await io.asker.ask({
      kind: 'confirm',
      id: 'use-kas-ca',
      message: 'Is the agent server (KAS) behind a self-signed or private CA certificate?',
      help: 'The CA goes into config.kasCaCert (a ConfigMap mounted in the pod).',
      default: false,
    });
    if (privateCa) path = await askOption(io, 'kasCaCert', '', (v) => (v ? undefined : 'enter a file path'));
  }
  if (!path) return undefined;
  return { path, ca: preloaded ?? (await loadKasCa(path, files, given.allowExpiredCa ?? false)) };
}
