/** Inputs that come only from the environment, never from a flag. */

/** Where the GitLab token may come from, in glab's order; a token is never a flag. */
export const TOKEN_ENV = ['GITLAB_TOKEN', 'GITLAB_ACCESS_TOKEN', 'OAUTH_TOKEN'] as const;

/** Every variable that can hold a GitLab token: none reaches helm, its plugins or a kubeconfig credential plugin. */
const SECRET_ENV: readonly string[] = [...TOKEN_ENV, 'GITLAB_PRIVATE_TOKEN'];

export function withoutGitLabSecrets(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([k]) => !SECRET_ENV.includes(k)));
}
