import { describe, expect, it } from 'vitest';
import { withoutGitLabSecrets } from '../../src/core/options/environment.js';

describe("helm's environment", () => {
  it('carries no GitLab token, and everything else unchanged', () => {
    const env = {
      PATH: '/bin',
      KUBECONFIG: '/k',
      GITLAB_TOKEN: 'glpat-fake',
      GITLAB_ACCESS_TOKEN: 'x-fake',
      OAUTH_TOKEN: 'y-fake',
      GITLAB_HOST: 'https://gitlab.example.com',
    };
    expect(withoutGitLabSecrets(env)).toEqual({ PATH: '/bin', KUBECONFIG: '/k', GITLAB_HOST: 'https://gitlab.example.com' });
  });
});
