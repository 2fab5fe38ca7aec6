import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Throwaway CAs and server certificates made with the openssl CLI, for TLS tests against local servers. */

const openssl = (dir: string, ...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });

/** Whether the openssl CLI is here (tests that need it skip without it). */
export const hasOpenssl = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
})();

/** A self-signed CA as `<name>.pem` and `<name>.key` in `dir`; returns the PEM's path. */
export function makeCa(dir: string, name: string, subject: string, days = 1): string {
  openssl(
    dir,
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.pem`,
    '-days',
    String(days),
    '-subj',
    subject,
  );
  return join(dir, `${name}.pem`);
}

/** A server certificate `<name>.pem` for `san` (e.g. "IP:127.0.0.1,DNS:localhost"), signed by the CA `ca` made by makeCa. */
export function signServerCert(
  dir: string,
  ca: string,
  name: string,
  o: { subject: string; san: string; days?: number },
): { cert: string; key: string } {
  openssl(dir, 'req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', o.subject);
  execFileSync('sh', ['-c', `printf 'subjectAltName=${o.san}\\n' > ${name}.ext`], { cwd: dir });
  openssl(
    dir,
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    `${ca}.pem`,
    '-CAkey',
    `${ca}.key`,
    '-CAcreateserial',
    '-out',
    `${name}.pem`,
    '-days',
    String(o.days ?? 1),
    '-extfile',
    `${name}.ext`,
  );
  return { cert: readPem(dir, `${name}.pem`), key: readPem(dir, `${name}.key`) };
}

export const readPem = (dir: string, file: string) => readFileSync(join(dir, file), 'utf8');
