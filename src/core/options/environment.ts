/** Inputs that come only from the environment, never from a flag. */

/** Where the GitLab token may come from, in glab's order; a token is never a flag. */
export const TOKEN_ENV = ['GITLAB_TOKEN', 'GITLAB_ACCESS_TOKEN', 'OAUTH_TOKEN'] as const;
