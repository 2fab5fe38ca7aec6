import { describe, expect, it } from 'vitest';
import type { TlsProbeEvidence } from '../../../src/core/diagnosis/evidence.js';
import { certCovers, netTls } from '../../../src/core/diagnosis/rules/kas-tls.js';
import { deployment, evidence, gitlab, workload } from './builders.js';

const chain = [
  {
    subject: 'CN=kas.example.com',
    issuer: 'CN=Example Corp Issuing CA',
    notBefore: '2026-01-01T00:00:00Z',
    notAfter: '2026-12-31T23:59:59Z',
  },
  { subject: 'CN=Example Corp Issuing CA', issuer: 'CN=Example Corp Root CA', notAfter: '2030-01-01T00:00:00Z' },
];
const good: TlsProbeEvidence = { ok: true, chain, sans: ['DNS:kas.example.com', 'DNS:gitlab.example.com'], alpn: 'h2' };
const untrusted: TlsProbeEvidence = {
  ...good,
  ok: false,
  code: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  message: 'unable to get local issuer certificate',
};

function e(
  probe: { systemCa: TlsProbeEvidence; configuredCa?: TlsProbeEvidence },
  args = ['--kas-address=grpcs://kas.example.com'],
  kasAddress = 'grpcs://kas.example.com',
) {
  return evidence({
    workload: workload({ deployment: deployment({}, ['--token-file=/etc/agentk/secrets/token', ...args]) }),
    gitlab: gitlab({
      metadata: { version: '18.6.1-ee', kas: { enabled: true, externalUrl: 'grpcs://kas.example.com', version: '18.6.1' } },
    }),
    local: { kasAddress, tls: probe },
  });
}

describe('certCovers', () => {
  it('matches exact names, one wildcard label and IP SANs', () => {
    expect(certCovers('kas.example.com', ['DNS:kas.example.com'])).toBe(true);
    expect(certCovers('KAS.Example.com', ['DNS:*.example.com'])).toBe(true);
    expect(certCovers('a.kas.example.com', ['DNS:*.example.com'])).toBe(false);
    expect(certCovers('example.com', ['DNS:*.example.com'])).toBe(false);
    expect(certCovers('203.0.113.10', ['IP Address:203.0.113.10'])).toBe(true);
    expect(certCovers('203.0.113.10', ['DNS:203.0.113.10.nip.io'])).toBe(false);
    expect(certCovers('kas.example.com', ['kas.example.com'])).toBe(true);
  });
});

describe('NET-TLS', () => {
  it('is ok for a trusted, matching, valid certificate', () => {
    expect(netTls.run(e({ systemCa: good }))[0]).toMatchObject({ id: 'NET-TLS', status: 'ok' });
  });

  it('skips plain-text addresses and missing probes', () => {
    expect(netTls.run(e({ systemCa: good }, ['--kas-address=grpc://kas.example.com:8150'], 'grpc://kas.example.com:8150'))[0]!.status).toBe(
      'skip',
    );
    expect(netTls.run(evidence())[0]!.status).toBe('skip');
  });

  it('fails an untrusted chain when no CA is configured, naming the issuer to look for', () => {
    const f = netTls.run(e({ systemCa: untrusted }))[0]!;
    expect(f).toMatchObject({ id: 'NET-TLS-CA', status: 'fail', category: 'kas-tls-untrusted-ca' });
    expect(f.fix).toBe(
      'gitlab-agent-tui upgrade --context prod-eu --namespace gitlab-agent --release gitlab-agent --kas-ca-cert <ca-file> (the PEM of "CN=Example Corp Root CA")',
    );
    expect(f.evidence).toContain('with the system CAs: UNABLE_TO_GET_ISSUER_CERT_LOCALLY: unable to get local issuer certificate');
  });

  it('is ok when the configured CA verifies what the system CAs cannot, and says which handshake did', () => {
    const args = ['--kas-address=grpcs://kas.example.com', '--kas-ca-cert-file=/etc/agentk/config/ca.crt'];
    const f = netTls.run(e({ systemCa: untrusted, configuredCa: good }, args))[0]!;
    expect(f.status).toBe('ok');
    expect(f.evidence).toContain('with the configured CA (/etc/agentk/config/ca.crt): verified');
  });

  it('near miss: a configured CA the Deployment no longer passes is not trusted on its behalf', () => {
    const f = netTls.run(e({ systemCa: untrusted, configuredCa: good }))[0]!;
    expect(f).toMatchObject({ id: 'NET-TLS-CA', category: 'kas-tls-untrusted-ca' });
  });

  it('fails when the configured CA does not sign the certificate either', () => {
    const args = ['--kas-address=grpcs://kas.example.com', '--kas-ca-cert-file=/etc/agentk/config/ca.crt'];
    const f = netTls.run(e({ systemCa: untrusted, configuredCa: { ...untrusted, code: 'SELF_SIGNED_CERT_IN_CHAIN' } }, args))[0]!;
    expect(f).toMatchObject({ id: 'NET-TLS-CA', category: 'kas-tls-untrusted-ca' });
    expect(f.title).toBe("The configured CA does not sign KAS's certificate");
  });

  it('fails a name mismatch and proposes the advertised address when the certificate covers it', () => {
    const args = ['--kas-address=grpcs://203.0.113.10'];
    const f = netTls.run(e({ systemCa: { ...good, ok: false, code: 'ERR_TLS_CERT_ALTNAME_INVALID' } }, args, 'grpcs://203.0.113.10'))[0]!;
    expect(f).toMatchObject({ id: 'NET-TLS-NAME', status: 'fail', category: 'kas-tls-name-mismatch' });
    expect(f.cause).toBe('agentk dials 203.0.113.10, but the certificate is only valid for DNS:kas.example.com, DNS:gitlab.example.com.');
    expect(f.evidence).toContain('SANs: DNS:kas.example.com, DNS:gitlab.example.com');
    expect(f.fix).toBe(
      'gitlab-agent-tui upgrade --context prod-eu --namespace gitlab-agent --release gitlab-agent --kas-address grpcs://kas.example.com',
    );
  });

  it('honours --kas-tls-server-name', () => {
    const args = ['--kas-address=grpcs://203.0.113.10', '--kas-tls-server-name=kas.example.com'];
    expect(netTls.run(e({ systemCa: good }, args, 'grpcs://203.0.113.10'))[0]!.status).toBe('ok');
  });

  it('fails an expired certificate and warns one that expires within 14 days', () => {
    const expired = {
      ...good,
      ok: false,
      code: 'CERT_HAS_EXPIRED',
      chain: [{ ...chain[0]!, notAfter: '2026-05-01T00:00:00Z' }, chain[1]!],
    };
    expect(netTls.run(e({ systemCa: expired }))[0]).toMatchObject({
      id: 'NET-TLS-EXPIRED',
      status: 'fail',
      category: 'kas-tls-expired',
      title: "KAS's certificate has expired (notAfter 2026-05-01T00:00:00Z)",
    });
    expect(netTls.run(e({ systemCa: expired }))[0]!.evidence).toContain(
      'leaf: subject CN=kas.example.com, issuer CN=Example Corp Issuing CA, notAfter 2026-05-01T00:00:00Z',
    );
    const soon = { ...good, chain: [{ ...chain[0]!, notAfter: '2026-05-27T00:00:00Z' }, chain[1]!] };
    expect(netTls.run(e({ systemCa: soon }))[0]).toMatchObject({ id: 'NET-TLS-EXPIRES-SOON', status: 'warn' });
  });

  it('blames the clock for a certificate not valid yet', () => {
    const future = { ...good, chain: [{ ...chain[0]!, notBefore: '2026-06-01T00:00:00Z' }, chain[1]!] };
    const f = netTls.run(e({ systemCa: future }))[0]!;
    expect(f.title).toBe("KAS's certificate is not valid yet");
    expect(f.fix).toContain('NTP');
  });

  it('downgrades failures to warnings when agentk skips verification', () => {
    const args = ['--kas-address=grpcs://kas.example.com', '--kas-insecure-skip-tls-verify'];
    const f = netTls.run(e({ systemCa: untrusted }, args))[0]!;
    expect(f.status).toBe('warn');
    expect(f.evidence).toContain('agentk runs with --kas-insecure-skip-tls-verify, so it ignores this');
  });

  it('warns that grpcs:// needs HTTP/2 when the endpoint only offers HTTP/1.1', () => {
    const f = netTls.run(e({ systemCa: { ...good, alpn: 'http/1.1' } }))[0]!;
    expect(f).toMatchObject({ id: 'NET-TLS-ALPN', status: 'warn', category: 'kas-scheme-mismatch' });
    expect(
      netTls.run(e({ systemCa: { ...good, alpn: 'http/1.1' } }, ['--kas-address=wss://kas.example.com'], 'wss://kas.example.com'))[0]!
        .status,
    ).toBe('ok');
  });
});
