import type { FlowIO } from '../../kernel/io.js';
import type { ProxySettings } from '../../plan/agent-settings.js';
import { SUGGESTED_NO_PROXY, proxyUrlProblem } from '../../plan/urls.js';
import type { OptionValues } from '../../options/values.js';
import { askOption } from '../ask.js';

type ProxyOptions = Pick<OptionValues, 'httpProxy' | 'httpsProxy' | 'noProxy'>;

/** HTTP(S)_PROXY / NO_PROXY for agentk; asked only when no proxy flag was given. */
export async function askProxy(given: ProxyOptions, io: FlowIO, warnings: string[]): Promise<ProxySettings> {
  let { httpProxy, httpsProxy, noProxy } = given;
  const anyGiven = httpProxy !== undefined || httpsProxy !== undefined || noProxy !== undefined;
  if (!anyGiven) {
    const useProxy = await io.asker.ask({
      kind: 'confirm',
      id: 'use-proxy',
      message: 'Does the cluster reach GitLab through an HTTP proxy?',
      help: "Sets HTTPS_PROXY/HTTP_PROXY/NO_PROXY on agentk through the chart's extraEnv.",
      default: false,
    });
    if (useProxy) {
      httpsProxy = await askOption(io, 'httpsProxy', '', (v) => (v ? proxyUrlProblem(v) : 'enter the proxy URL'));
      httpProxy = (await askOption(io, 'httpProxy', '', (v) => (v ? proxyUrlProblem(v) : undefined))) || undefined;
      noProxy = await askOption(io, 'noProxy', SUGGESTED_NO_PROXY);
    }
  }
  if (httpProxy || httpsProxy) {
    warnings.push("With a proxy set, DNS rebind protection is skipped when GitLab's domain cannot be resolved (GitLab docs).");
    if (!noProxy)
      warnings.push(`NO_PROXY is empty: in-cluster traffic will go through the proxy. Consider --no-proxy ${SUGGESTED_NO_PROXY}`);
  }
  return { httpProxy: httpProxy || undefined, httpsProxy: httpsProxy || undefined, noProxy: noProxy || undefined };
}
