import type { ContainerSpecEvidence, DeploymentEvidence, EnvVarEvidence, VolumeEvidence } from './evidence.js';
import { parseKasHeader, type KasHeader } from './kas-headers.js';

/** Where the chart mounts the token Secret; agentk reads <dir>/token (real-chart §3). */
const TOKEN_DIR = '/etc/agentk/secrets';

/** The agentk container: the one passing --kas-address/--token-file, else `gitlab-agent` (real chart) or `agent`, else the first. */
export function agentContainer(d: DeploymentEvidence | null | undefined): ContainerSpecEvidence | undefined {
  if (!d) return undefined;
  return (
    d.containers.find((c) => c.args.some((a) => a.startsWith('--kas-address') || a.startsWith('--token-file'))) ??
    d.containers.find((c) => c.name === 'gitlab-agent') ??
    d.containers.find((c) => c.name === 'agent') ??
    d.containers[0]
  );
}

/** `--name=value` or `--name value`; the last occurrence wins, as with Go's flag parsing. */
export function argValue(args: readonly string[], name: string): string | undefined {
  let found: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a.startsWith(`${name}=`)) found = a.slice(name.length + 1);
    else if (a === name && i + 1 < args.length) found = args[++i];
  }
  return found;
}

/** Every `--name=value` / `--name value`, in order: a repeatable flag (pflag's StringArray) keeps them all. */
function argValues(args: readonly string[], name: string): string[] {
  const found: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a.startsWith(`${name}=`)) found.push(a.slice(name.length + 1));
    else if (a === name && i + 1 < args.length) found.push(args[++i] ?? '');
  }
  return found;
}

export function hasFlag(args: readonly string[], name: string): boolean {
  return args.some((a) => a === name || a.startsWith(`${name}=`));
}

export const kasAddressOf = (d: DeploymentEvidence | null | undefined) => argValue(agentContainer(d)?.args ?? [], '--kas-address');
export const caFileOf = (d: DeploymentEvidence | null | undefined) => argValue(agentContainer(d)?.args ?? [], '--kas-ca-cert-file');

/**
 * The headers agentk sends to KAS (each `--kas-header`, as the chart renders `config.kasHeaders`), and the
 * values that are not a header Go would send (agentk refuses them).
 */
export function kasHeadersOf(d: DeploymentEvidence | null | undefined): { headers: KasHeader[]; invalid: string[] } {
  const headers: KasHeader[] = [];
  const invalid: string[] = [];
  for (const raw of argValues(agentContainer(d)?.args ?? [], '--kas-header')) {
    const h = parseKasHeader(raw);
    if (h) headers.push(h);
    else invalid.push(raw);
  }
  return { headers, invalid };
}

/** Go's net/http reads the upper-case name first, then the lower-case one (golang.org/x/net/http/httpproxy). */
function envOf(env: readonly EnvVarEvidence[], upper: string): EnvVarEvidence | undefined {
  return env.find((e) => e.name === upper) ?? env.find((e) => e.name === upper.toLowerCase());
}

export interface ProxyEnv {
  httpsProxy?: EnvVarEvidence;
  httpProxy?: EnvVarEvidence;
  noProxy?: EnvVarEvidence;
}

export function proxyEnvOf(d: DeploymentEvidence | null | undefined): ProxyEnv {
  const env = agentContainer(d)?.env ?? [];
  const out: ProxyEnv = {};
  const https = envOf(env, 'HTTPS_PROXY');
  const http = envOf(env, 'HTTP_PROXY');
  const no = envOf(env, 'NO_PROXY');
  if (https) out.httpsProxy = https;
  if (http) out.httpProxy = http;
  if (no) out.noProxy = no;
  return out;
}

/** The Secret volume agentk reads its token from. */
export function tokenVolumeOf(d: DeploymentEvidence | null | undefined): VolumeEvidence | undefined {
  if (!d) return undefined;
  const tokenFile = argValue(agentContainer(d)?.args ?? [], '--token-file');
  const dir = tokenFile ? tokenFile.replace(/\/[^/]*$/, '') : TOKEN_DIR;
  return (
    d.volumes.find((v) => v.secretName && v.mountPath !== undefined && v.mountPath.replace(/\/$/, '') === dir) ??
    d.volumes.find((v) => v.secretName && (v.items?.includes('token') || /token|secret/.test(v.name)))
  );
}
