import { UsageError } from '../../kernel/errors.js';
import type { FlowIO } from '../../kernel/io.js';
import type { OptionValues } from '../../options/values.js';
import type { FilesPort } from '../../ports/files.js';
import { askOption } from '../ask.js';
import { loadKasCa, type LoadedCa } from './load-kas-ca.js';

type CaOptions = Pick<OptionValues, 'kasCaCert' | 'allowExpiredCa'>;

/**
 * The CA KAS is signed with, if private: asked when not given, read and checked either way. A typed
 * path that is missing or not PEM is asked for again with the reason; an expired CA may be used anyway.
 */
export async function askKasCa(
  given: CaOptions,
  preloaded: LoadedCa | undefined,
  files: FilesPort,
  io: FlowIO,
): Promise<{ path: string; ca: LoadedCa } | undefined> {
  if (given.kasCaCert)
    return { path: given.kasCaCert, ca: preloaded ?? (await loadKasCa(given.kasCaCert, files, given.allowExpiredCa ?? false)) };
  const privateCa = await io.asker.ask({
    kind: 'confirm',
    id: 'use-kas-ca',
    message: 'Is the agent server (KAS) behind a self-signed or private CA certificate?',
    help: 'The CA goes into config.kasCaCert (a ConfigMap mounted in the pod).',
    default: false,
  });
  if (!privateCa) return undefined;
  let problem: string | undefined;
  let previous = '';
  for (;;) {
    const path = await askOption(io, 'kasCaCert', previous, (v) => (v ? undefined : 'enter a file path'), { problem });
    previous = path;
    try {
      return { path, ca: await loadKasCa(path, files, false) };
    } catch (err) {
      if (!(err instanceof UsageError) || io.asker.cannotAsk !== undefined) throw err;
      if (/ expired on /.test(err.message)) {
        const choice = await io.asker.ask({
          kind: 'select',
          id: 'expired-kas-ca',
          message: `${path} has expired. Use it anyway?`,
          help: err.message,
          choices: [
            { value: 'other', label: 'Choose another file' },
            { value: 'anyway', label: 'Use it anyway', hint: 'as --allow-expired-ca: agentk will likely refuse the connection' },
          ],
          default: 'other',
        });
        if (choice === 'anyway') return { path, ca: await loadKasCa(path, files, true) };
        problem = undefined;
        continue;
      }
      problem = err.message;
    }
  }
}
