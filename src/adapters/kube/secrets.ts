import type { V1Secret } from '@kubernetes/client-node';
import type { TokenSecretInfo, TokenSecretSpec } from '../../core/ports/kube/index.js';
import type { KubeApis } from './apis.js';
import { KubeApiError, hasStatus } from './failures.js';

import { Secret } from '../../core/kernel/secret.js';
import type { AgentRegistration } from '../../core/ports/kube/index.js';
import {
  AGENT_ID_ANNOTATION,
  AGENT_LABEL,
  GITLAB_URL_ANNOTATION,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  PROJECT_ID_ANNOTATION,
  PROJECT_PATH_ANNOTATION,
  TOKEN_ID_ANNOTATION,
} from '../../core/plan/ownership.js';

/** The key the chart reads the token from. */
const TOKEN_KEY = 'token';
function parseId(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value.trim());
}

/** Metadata only: the token value is read with the object but never leaves this function. */
export async function getTokenSecret(apis: KubeApis, namespace: string, name: string): Promise<TokenSecretInfo | undefined> {
  let secret: V1Secret;
  try {
    secret = await apis.call(`read Secret ${namespace}/${name}`, (options) => apis.core.readNamespacedSecret({ namespace, name }, options));
  } catch (err) {
    if (hasStatus(err, 404)) return undefined;
    throw err;
  }
  return toInfo(secret, namespace, name);
}

/** What we may know of a token Secret: its labels and annotations, and whether it has the key. Never the value. */
function toInfo(secret: V1Secret, namespace: string, name: string): TokenSecretInfo {
  const tokenId = parseId(secret.metadata?.annotations?.[TOKEN_ID_ANNOTATION]);
  const agentId = parseId(secret.metadata?.annotations?.[AGENT_ID_ANNOTATION]);
  const agentName = secret.metadata?.labels?.[AGENT_LABEL];
  const registration = registrationOf(secret.metadata?.annotations ?? {});
  return {
    namespace,
    name,
    ...(tokenId !== undefined ? { tokenId } : {}),
    ...(agentId !== undefined ? { agentId } : {}),
    ...(agentName ? { agentName } : {}),
    managedByUs: secret.metadata?.labels?.[MANAGED_BY_LABEL] === MANAGED_BY_VALUE,
    hasTokenKey: secret.data?.[TOKEN_KEY] !== undefined || secret.stringData?.[TOKEN_KEY] !== undefined,
    ...(registration ? { registration } : {}),
  };
}

function registrationOf(annotations: Record<string, string>): AgentRegistration | undefined {
  const projectId = parseId(annotations[PROJECT_ID_ANNOTATION]);
  const projectPath = annotations[PROJECT_PATH_ANNOTATION];
  const gitlabUrl = annotations[GITLAB_URL_ANNOTATION];
  if (projectId === undefined && !projectPath && !gitlabUrl) return undefined;
  return {
    ...(gitlabUrl ? { gitlabUrl } : {}),
    ...(projectId !== undefined ? { projectId } : {}),
    ...(projectPath ? { projectPath } : {}),
  };
}

function registrationAnnotations(r: AgentRegistration | undefined): Record<string, string> {
  if (!r) return {};
  return {
    ...(r.gitlabUrl ? { [GITLAB_URL_ANNOTATION]: r.gitlabUrl } : {}),
    ...(r.projectId !== undefined ? { [PROJECT_ID_ANNOTATION]: String(r.projectId) } : {}),
    ...(r.projectPath ? { [PROJECT_PATH_ANNOTATION]: r.projectPath } : {}),
  };
}

/** Our token Secrets (by our label), in one namespace or in all; 403 on the cluster-wide list means "none you can see". */
export async function listTokenSecrets(apis: KubeApis, namespace?: string): Promise<TokenSecretInfo[]> {
  const labelSelector = `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE}`;
  try {
    const list = await apis.call(namespace ? `list Secrets in namespace ${namespace}` : 'list Secrets in all namespaces', (options) =>
      namespace
        ? apis.core.listNamespacedSecret({ namespace, labelSelector }, options)
        : apis.core.listSecretForAllNamespaces({ labelSelector }, options),
    );
    return list.items.map((s) => toInfo(s, s.metadata?.namespace ?? namespace ?? '', s.metadata?.name ?? ''));
  } catch (err) {
    if (hasStatus(err, 403)) return [];
    throw err;
  }
}

/**
 * An API error can echo request fields; make sure neither form of the token survives into a message.
 * Values shorter than 8 characters are no real token, and masking them would mangle ordinary words.
 */
function scrubbed(err: unknown, values: string[]): unknown {
  if (!(err instanceof KubeApiError)) return err;
  let message = err.failure.message;
  for (const value of values) if (value.length >= 8) message = message.split(value).join('********');
  return message === err.failure.message ? err : new KubeApiError(err.action, { ...err.failure, message }, err.hint);
}

/**
 * Creates the Opaque token Secret, or replaces it (PUT) when it exists. Our labels and annotations are
 * merged over the existing ones; `data` is replaced, so it holds exactly the `token` key afterwards.
 * The token travels base64-encoded in the request body only (never in a URL, header or message).
 */
export async function writeTokenSecret(apis: KubeApis, spec: TokenSecretSpec): Promise<void> {
  const { namespace, name } = spec;
  const value = spec.token.reveal();
  const encoded = Buffer.from(value, 'utf8').toString('base64');
  const secretValues = [value, encoded];
  const body = (base?: V1Secret): V1Secret => ({
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'Opaque',
    metadata: {
      name,
      namespace,
      ...(base?.metadata?.resourceVersion ? { resourceVersion: base.metadata.resourceVersion } : {}),
      labels: { ...base?.metadata?.labels, [MANAGED_BY_LABEL]: MANAGED_BY_VALUE, [AGENT_LABEL]: spec.agentName },
      annotations: {
        ...base?.metadata?.annotations,
        [TOKEN_ID_ANNOTATION]: String(spec.tokenId),
        [AGENT_ID_ANNOTATION]: String(spec.agentId),
        ...registrationAnnotations(spec.registration),
      },
    },
    data: { [TOKEN_KEY]: encoded },
  });

  try {
    await apis.call(`create Secret ${namespace}/${name}`, (options) =>
      apis.core.createNamespacedSecret({ namespace, body: body() }, options),
    );
    return;
  } catch (err) {
    if (!hasStatus(err, 409)) throw scrubbed(err, secretValues);
  }

  try {
    const existing = await apis.call(`read Secret ${namespace}/${name}`, (options) =>
      apis.core.readNamespacedSecret({ namespace, name }, options),
    );
    if (existing.type && existing.type !== 'Opaque') {
      throw new KubeApiError(
        `replace Secret ${namespace}/${name}`,
        { kind: 'other', message: `it exists with type ${existing.type}, and a Secret's type cannot change` },
        'choose another Secret name, or delete that Secret first',
      );
    }
    // resourceVersion makes the PUT conditional: a concurrent writer yields 409, not a silent overwrite.
    await apis.call(`replace Secret ${namespace}/${name}`, (options) =>
      apis.core.replaceNamespacedSecret({ namespace, name, body: body(existing) }, options),
    );
  } catch (err) {
    throw scrubbed(err, secretValues);
  }
}

/** The token of a Secret wrapped at once, so it is masked in every message; undefined without key "token". */
export async function readTokenValue(apis: KubeApis, namespace: string, name: string): Promise<Secret | undefined> {
  let secret: V1Secret;
  try {
    secret = await apis.call(`read Secret ${namespace}/${name}`, (options) => apis.core.readNamespacedSecret({ namespace, name }, options));
  } catch (err) {
    if (hasStatus(err, 404)) return undefined;
    throw err;
  }
  const encoded = secret.data?.[TOKEN_KEY];
  if (encoded !== undefined) return new Secret(Buffer.from(encoded, 'base64').toString('utf8'));
  const plain = secret.stringData?.[TOKEN_KEY];
  return plain !== undefined ? new Secret(plain) : undefined;
}

/** Idempotent (404 is fine). */
export async function deleteSecret(apis: KubeApis, namespace: string, name: string): Promise<void> {
  try {
    await apis.call(`delete Secret ${namespace}/${name}`, (options) => apis.core.deleteNamespacedSecret({ namespace, name }, options));
  } catch (err) {
    if (!hasStatus(err, 404)) throw err;
  }
}
