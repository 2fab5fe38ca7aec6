import { createWriteStream } from 'node:fs';
import { access, readFile, writeFile } from 'node:fs/promises';
import type { Clock, FilesPort } from '../../core/ports/files.js';
import { CancelledError } from '../../core/errors.js';

export function createLocalFiles(): FilesPort {
  return {
    readText: async (path) => {
      try {
        return await readFile(path, 'utf8');
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        throw new Error(code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (err as Error).message);
      }
    },
    exists: async (path) =>
      access(path).then(
        () => true,
        () => false,
      ),
    // 0600: values files hold no secrets, but they describe infrastructure.
    writeText: (path, content) => writeFile(path, content, { mode: 0o600 }),
    openLog: async (path) => {
      const stream = createWriteStream(path, { flags: 'w', mode: 0o600 });
      await new Promise<void>((resolve, reject) => stream.once('open', () => resolve()).once('error', reject));
      return {
        write: (line) => void stream.write(`${line}\n`),
        close: () => new Promise<void>((resolve) => stream.end(() => resolve())),
      };
    },
  };
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal.aborted) return reject(new CancelledError());
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        reject(new CancelledError());
      };
      signal.addEventListener('abort', onAbort, { once: true });
    }),
};
