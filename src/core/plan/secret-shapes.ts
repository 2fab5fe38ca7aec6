import { liveSecretValues } from '../kernel/secret.js';

/**
 * GitLab's token prefixes (personal, agent, OAuth, runner, trigger, deploy, feed, incoming mail, …),
 * optionally behind an instance's custom prefix ("acme-glagent-…"). Something shaped like one is
 * refused wherever it would be written down: a values file or `--set` is stored in the release.
 */
const TOKEN_SHAPE = /(?:^|[^A-Za-z0-9])(?:[A-Za-z0-9]+-)?gl(?:pat|agent|oas|rt|ptt|dt|soat|ft|imt|cbt|ffct|wt)-[A-Za-z0-9_.-]{8,}/;

export function looksLikeGitLabToken(value: string): boolean {
  return TOKEN_SHAPE.test(value);
}

/** A live secret of this run, or anything shaped like a GitLab token. */
export function isSecretLike(value: string): boolean {
  if (looksLikeGitLabToken(value)) return true;
  for (const secret of liveSecretValues()) if (secret.length >= 8 && value.includes(secret)) return true;
  return false;
}
