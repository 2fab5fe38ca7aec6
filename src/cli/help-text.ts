import { EXIT_CODE_MEANINGS } from '../core/kernel/errors.js';
import { OPTIONS } from '../core/options/catalogue.js';
import { TOKEN_ENV } from '../core/options/environment.js';

/** Documented exit codes, from the one table scripts depend on (README "Exit codes"). */
export const EXIT_CODES_HELP = `Exit codes:\n${Object.entries(EXIT_CODE_MEANINGS)
  .map(([code, meaning]) => `  ${code.padEnd(5)}${meaning}`)
  .join('\n')}`;

const ENV: [string, string][] = [
  [(OPTIONS.kubeconfig.env ?? []).join(', '), "kubeconfig files, ':'-separated (like kubectl)"],
  [TOKEN_ENV[0], 'GitLab personal access token with the api scope (never pass it as a flag)'],
  [[...(OPTIONS.gitlabUrl.env ?? [])].reverse().join(', '), "GitLab instance (default: glab's configured host, else https://gitlab.com)"],
  ['NODE_EXTRA_CA_CERTS', 'extra CAs for reaching GitLab'],
  ['NO_COLOR', 'no colours'],
];

export const ENV_HELP = `Environment:\n${ENV.map(([name, what]) => `  ${name.padEnd(27)}${what}`).join('\n')}`;
