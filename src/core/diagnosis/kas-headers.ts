/**
 * agentk's `--kas-header "Name: value"` (chart `config.kasHeaders`): headers it sends on its KAS connection,
 * e.g. the canary cookie or a header a WAF or ingress requires. They may carry a credential (Authorization,
 * a session cookie, an API key), so wherever the doctor shows one — evidence, the bundle — only its name is
 * shown: every value is masked, whatever it looks like.
 */

export interface KasHeader {
  name: string;
  value: string;
}

const MASK = '********';

/** RFC 9110 token characters: what Go's net/http accepts as a header name. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** "Name: value" as agentk splits it (at the first colon, both sides trimmed); undefined when it is not a header Go would send. */
export function parseKasHeader(raw: string): KasHeader | undefined {
  const colon = raw.indexOf(':');
  if (colon <= 0) return undefined;
  const name = raw.slice(0, colon).trim();
  const value = raw.slice(colon + 1).trim();
  // Go refuses a value with CR, LF or NUL (net/http: invalid header field value): such a header never reaches KAS.
  if (!TOKEN.test(name) || /[\r\n\0]/.test(value)) return undefined;
  return { name, value };
}

/** The header as the doctor may show it: its name, the value masked. */
export function maskKasHeader(raw: string): string {
  const colon = raw.indexOf(':');
  return colon <= 0 ? MASK : `${raw.slice(0, colon).trim()}: ${MASK}`;
}
