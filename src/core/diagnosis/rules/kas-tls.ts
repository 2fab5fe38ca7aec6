import { DOCS } from '../docs.js';
import type { TlsProbeEvidence } from '../evidence.js';
import type { Finding } from '../finding.js';
import { defineCheck, notApplicable, ok, problem } from '../make.js';
import { fill } from '../placeholders.js';
import { agentContainer, argValue, caFileOf, hasFlag } from '../deployment-args.js';
import { parseKasUrl } from '../kas-address.js';

/**
 * The TLS handshake with KAS as this machine sees it, once with the system trust store and once with the
 * CA the Deployment passes (--kas-ca-cert-file). The certificate is the same for every client, so name and
 * expiry problems are facts; trust depends on the trust store, hence both probes.
 */

/** Node's codes for a chain it cannot anchor in its trust store. */
const UNTRUSTED = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
]);

const SOON_MS = 14 * 24 * 3600_000;

/** Does a certificate with these subjectAltNames cover `host` (RFC 6125: one left-most wildcard label)? */
export function certCovers(host: string, sans: readonly string[]): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  for (const raw of sans) {
    const entry = raw.trim();
    const [kind, value = ''] =
      entry.includes(':') && /^(DNS|IP Address|IP):/i.test(entry)
        ? [entry.slice(0, entry.indexOf(':')), entry.slice(entry.indexOf(':') + 1)]
        : ['DNS', entry];
    const v = value.trim().toLowerCase().replace(/\.$/, '');
    if (/^ip/i.test(kind)) {
      if (v === h) return true;
      continue;
    }
    if (v === h) return true;
    if (v.startsWith('*.')) {
      const rest = v.slice(2);
      const dot = h.indexOf('.');
      if (dot > 0 && h.slice(dot + 1) === rest) return true;
    }
  }
  return false;
}

function certLines(p: TlsProbeEvidence, label: string): string[] {
  const out = [`${label}: ${p.ok ? 'verified' : `${p.code ?? 'error'}${p.message ? `: ${p.message}` : ''}`}`];
  const leaf = p.chain[0];
  if (leaf) out.push(`leaf: subject ${leaf.subject}, issuer ${leaf.issuer}${leaf.notAfter ? `, notAfter ${leaf.notAfter}` : ''}`);
  const top = p.chain[p.chain.length - 1];
  if (top && top !== leaf) out.push(`chain top: subject ${top.subject}, issuer ${top.issuer}`);
  if (p.sans.length) out.push(`SANs: ${p.sans.join(', ')}`);
  return out;
}

/** The WebSocket address to fall back to: the advertised one if it is WebSocket, else Omnibus's default path. */
function wssAlternative(advertised: string | null | undefined, host: string, port: number): string {
  const adv = parseKasUrl(advertised);
  if (adv?.websocket) return adv.raw;
  return `wss://${host}${port === 443 ? '' : `:${port}`}/-/kubernetes-agent/`;
}

export const netTls = defineCheck({
  id: 'NET-TLS',
  layer: 'connection',
  title: "KAS's certificate (from this machine)",
  dependsOn: ['NET-TCP'],
  fatal: false,
  run(e, self) {
    const local = e.local;
    if (!local?.tls) return [notApplicable(self, 'no TLS handshake was tried from this machine')];
    const kas = parseKasUrl(local.kasAddress);
    if (!kas) return [notApplicable(self, `cannot parse the KAS address ${local.kasAddress}`)];
    if (!kas.tls) return [notApplicable(self, `${kas.scheme}:// is not encrypted: no certificate to check`)];
    const d = e.workload?.deployment;
    const args = agentContainer(d)?.args ?? [];
    const insecure = hasFlag(args, '--kas-insecure-skip-tls-verify');
    const serverName = argValue(args, '--kas-tls-server-name') ?? kas.host;
    const caFile = caFileOf(d);
    const { systemCa, configuredCa } = local.tls;
    const asAgent = caFile && configuredCa ? configuredCa : systemCa;
    const evidence = [
      ...certLines(systemCa, 'with the system CAs'),
      ...(configuredCa ? certLines(configuredCa, `with the configured CA (${caFile ?? 'config.kasCaCert'})`).slice(0, 1) : []),
      ...(local.viaProxy ? [`probed through the proxy ${local.viaProxy}`] : []),
    ];
    const upgrade = (flags: string) =>
      fill(
        `gitlab-agent-tui upgrade${e.context.kubeContext ? ' --context <context>' : ''} --namespace <namespace> --release <release> ${flags}`,
        e.context,
      );
    const soften = (f: Finding): Finding =>
      insecure && f.status === 'fail'
        ? { ...f, status: 'warn', evidence: [...f.evidence, 'agentk runs with --kas-insecure-skip-tls-verify, so it ignores this'] }
        : f;
    const out: Finding[] = [];
    const now = Date.parse(e.observedAt);

    const expired = asAgent.code === 'CERT_HAS_EXPIRED' || asAgent.chain.some((c) => c.notAfter && Date.parse(c.notAfter) < now);
    const notYet = asAgent.code === 'CERT_NOT_YET_VALID' || asAgent.chain.some((c) => c.notBefore && Date.parse(c.notBefore) > now);
    const lapsed = asAgent.chain.find((c) => c.notAfter && Date.parse(c.notAfter) < now);
    const soon = asAgent.chain.find((c) => c.notAfter && Date.parse(c.notAfter) >= now && Date.parse(c.notAfter) - now < SOON_MS);
    if (expired || notYet) {
      out.push(
        problem(self, {
          suffix: 'EXPIRED',
          status: 'fail',
          category: 'kas-tls-expired',
          title:
            notYet && !expired
              ? "KAS's certificate is not valid yet"
              : `KAS's certificate has expired${lapsed?.notAfter ? ` (notAfter ${lapsed.notAfter})` : ''}`,
          evidence,
          cause:
            notYet && !expired
              ? "The certificate's notBefore lies in the future: this machine's clock (or the issuer's) is wrong."
              : `The certificate of ${kas.host} is past its notAfter date (now ${e.observedAt}), so every client rejects it.`,
          fix:
            notYet && !expired
              ? 'Fix the clocks (NTP) of this machine and the cluster nodes'
              : `A GitLab administrator renews the certificate of ${kas.host}`,
          docsUrl: DOCS.troubleshooting,
        }),
      );
    } else if (soon) {
      out.push(
        problem(self, {
          suffix: 'EXPIRES-SOON',
          status: 'warn',
          category: 'kas-tls-expired',
          title: `KAS's certificate expires on ${soon.notAfter}`,
          evidence,
          cause: 'The certificate expires within 14 days; agents stop connecting then.',
          fix: `A GitLab administrator renews the certificate of ${kas.host}`,
          docsUrl: DOCS.troubleshooting,
        }),
      );
    }

    const leaf = asAgent.chain[0];
    const nameBad =
      asAgent.code === 'ERR_TLS_CERT_ALTNAME_INVALID' ||
      (leaf !== undefined && asAgent.sans.length > 0 && !certCovers(serverName, asAgent.sans));
    if (nameBad) {
      const advertised = parseKasUrl(e.gitlab?.metadata?.kas.externalUrl);
      const covered = advertised && advertised.host !== kas.host && certCovers(advertised.host, asAgent.sans);
      out.push(
        problem(self, {
          suffix: 'NAME',
          status: 'fail',
          category: 'kas-tls-name-mismatch',
          title: `KAS's certificate does not name ${serverName}`,
          evidence,
          cause: `agentk dials ${serverName}, but the certificate is only valid for ${asAgent.sans.join(', ') || 'other names'}.`,
          fix: covered
            ? upgrade(`--kas-address ${advertised.raw}`)
            : upgrade('--kas-address <address-with-a-name-in-the-certificate>') +
              ' (or --set extraArgs={--kas-tls-server-name=<name-in-certificate>})',
          docsUrl: DOCS.troubleshooting,
        }),
      );
    }

    const untrusted = !asAgent.ok && asAgent.code !== undefined && UNTRUSTED.has(asAgent.code);
    if (untrusted) {
      const top = asAgent.chain[asAgent.chain.length - 1];
      out.push(
        problem(self, {
          suffix: 'CA',
          status: 'fail',
          category: 'kas-tls-untrusted-ca',
          title: caFile ? "The configured CA does not sign KAS's certificate" : "KAS's certificate is signed by a CA agentk does not trust",
          evidence,
          cause: caFile
            ? `agentk verifies KAS with ${caFile}, but the chain of ${kas.host} (issued by ${top?.issuer ?? 'an unknown CA'}) does not lead to that CA.`
            : `The chain of ${kas.host} ends at ${top?.issuer ?? 'a CA'}, which is not a public CA, and the Deployment passes no --kas-ca-cert-file.`,
          fix: upgrade('--kas-ca-cert <ca-file>') + (top ? ` (the PEM of "${top.issuer}")` : ''),
          docsUrl: DOCS.selfSignedKas,
        }),
      );
    }

    if (kas.scheme === 'grpcs' && (asAgent.alpn === 'http/1.1' || asAgent.alpn === false) && asAgent.ok) {
      out.push(
        problem(self, {
          suffix: 'ALPN',
          status: 'warn',
          category: 'kas-scheme-mismatch',
          title: `${kas.host} does not offer HTTP/2, which grpcs:// needs`,
          evidence: [...evidence, `ALPN: ${asAgent.alpn === false ? 'none' : asAgent.alpn}`],
          cause: 'The TLS endpoint selects HTTP/1.1, so gRPC (HTTP/2) through it fails; WebSocket (wss://) would work.',
          fix: upgrade(`--kas-address ${wssAlternative(e.gitlab?.metadata?.kas.externalUrl, kas.host, kas.port)}`),
          docsUrl: DOCS.handshakeRequest,
        }),
      );
    }
    if (out.length) return out.map(soften);
    return [ok(self, evidence)];
  },
});

const KAS_TLS_CHECKS = [netTls];
