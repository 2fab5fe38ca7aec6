import { X509Certificate } from 'node:crypto';

export interface CaCertInfo {
  subject: string;
  issuer: string;
  validTo: Date;
  expired: boolean;
  /** How many certificates the PEM bundle holds. */
  count: number;
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/**
 * Parses a KAS CA file (PEM, possibly a bundle) with node:crypto. Returns the reason when it is not
 * a certificate. Reports the first certificate; a bundle counts as expired only if every cert is.
 */
export function inspectCaPem(text: string, now = new Date()): CaCertInfo | { problem: string } {
  const blocks = text.match(PEM_BLOCK);
  if (!blocks || blocks.length === 0) return { problem: 'is not a PEM certificate (no "-----BEGIN CERTIFICATE-----" block)' };
  const certs: X509Certificate[] = [];
  for (const block of blocks) {
    try {
      certs.push(new X509Certificate(block));
    } catch (err) {
      return { problem: `holds a PEM block that does not parse: ${(err as Error).message}` };
    }
  }
  const first = certs[0]!;
  const validTo = new Date(first.validTo);
  return {
    subject: first.subject.replace(/\n/g, ', '),
    issuer: first.issuer.replace(/\n/g, ', '),
    validTo,
    expired: certs.every((c) => new Date(c.validTo) < now),
    count: certs.length,
  };
}
