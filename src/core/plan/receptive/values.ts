import { chartFullname } from '../names.js';

/** Where the token Secret is mounted in receptive mode: beside, not inside, the chart's own Secret. */
const TOKEN_DIR = '/etc/agentk/agent-token';

/** GitLab dials receptive agents over gRPC: grpc:// (cleartext) or grpcs:// (TLS, recommended). */
export function receptiveUrlProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `"${url}" is not a URL`;
  }
  if (parsed.protocol !== 'grpc:' && parsed.protocol !== 'grpcs:')
    return `GitLab reaches receptive agents over grpc:// or grpcs://, not ${parsed.protocol}//`;
  if (!parsed.hostname) return 'the address has no host';
  return undefined;
}

/**
 * The name of the chart's own receptive Secret. In receptive mode the chart renders a Secret named
 * config.secretName holding api-jwt and private-api-jwt and no token (real-chart.md §3), and helm
 * refuses to adopt, or would overwrite, a token Secret of that name: it must never be ours.
 */
export function receptiveKeysSecretName(release: string): string {
  return `${chartFullname(release)}-receptive`.slice(0, 253);
}

/**
 * The --set and --set-string items that turn a helm install into a receptive one: no KAS address
 * (GitLab dials in), the API listener checked with GitLab's public key, the chart's Secret under its
 * own name, and our token Secret mounted beside it through extraVolumes, with agentk pointed at it
 * (the chart's --token-file comes first; agentk's flag parser keeps the last value).
 */
export function receptiveHelmSets(release: string, tokenSecret: string, publicKey: string): { sets: string[]; setStrings: string[] } {
  return {
    sets: [
      'config.kasAddress=null',
      'config.receptive.enabled=true',
      `config.secretName=${receptiveKeysSecretName(release)}`,
      'extraVolumes[0].name=agent-token',
      `extraVolumes[0].secret.secretName=${tokenSecret}`,
      'extraVolumes[0].secret.items[0].key=token',
      'extraVolumes[0].secret.items[0].path=token',
      'extraVolumeMounts[0].name=agent-token',
      `extraVolumeMounts[0].mountPath=${TOKEN_DIR}`,
      'extraVolumeMounts[0].readOnly=true',
      `extraArgs[0]=--token-file=${TOKEN_DIR}/token`,
    ],
    // Base64 carries "+", "/" and "=": a string, never parsed.
    setStrings: [`config.api.jwtPublicKey=${publicKey}`],
  };
}
