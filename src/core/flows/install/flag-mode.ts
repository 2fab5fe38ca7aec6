import { UsageError } from '../../kernel/errors.js';
import type { Asker } from '../../kernel/questions.js';
import { OPTIONS } from '../../options/catalogue.js';
import { TOKEN_ENV } from '../../options/environment.js';
import { parseGitLabUrl } from '../../plan/urls.js';
import type { Ports } from '../../ports/index.js';
import type { InstallOptions } from './options.js';

/**
 * Flag mode cannot ask: every answer the install has no default for is named at once, before any
 * network call, so one correction makes the command line complete.
 */
export async function requireFlagAnswers(opts: InstallOptions, ports: Ports, asker: Asker): Promise<void> {
  if (asker.cannotAsk === undefined) return;
  const missing: { field: string; fix: string }[] = [];
  if (opts.project === undefined) missing.push({ field: OPTIONS.project.flag, fix: `pass ${OPTIONS.project.flag} <path|id>` });
  if (opts.agent === undefined) missing.push({ field: OPTIONS.agent.flag, fix: `pass ${OPTIONS.agent.flag} <name>` });
  // A receptive agent needs the address GitLab dials; nothing can default it.
  if (opts.method === 'receptive' && opts.receptiveUrl === undefined)
    missing.push({ field: OPTIONS.receptiveUrl.flag, fix: `pass ${OPTIONS.receptiveUrl.flag} grpcs://<host>:<port>` });
  if (!TOKEN_ENV.some((name) => ports.env[name]?.trim())) {
    const glab = await ports.glab();
    const env = (OPTIONS.gitlabUrl.env ?? []).map((n) => ports.env[n]).find((v) => v !== undefined);
    const parsed = parseGitLabUrl(opts.gitlabUrl ?? env ?? glab.host ?? 'https://gitlab.com');
    const host = 'url' in parsed ? new URL(parsed.url).host : undefined;
    if (!host || !glab.tokenFor(host)) missing.push({ field: TOKEN_ENV[0], fix: `set ${TOKEN_ENV[0]} or log in with \`glab auth login\`` });
  }
  if (missing.length === 0) return;
  const what = missing.map((m) => m.field).join(', ');
  const message =
    missing.length === 1 && missing[0]!.field === TOKEN_ENV[0] ? `no GitLab token (${asker.cannotAsk})` : `no answer (${asker.cannotAsk})`;
  throw new UsageError(what, message, missing.map((m) => m.fix).join('; '));
}
