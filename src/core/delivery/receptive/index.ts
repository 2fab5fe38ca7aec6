import { FlowError, UsageError } from '../../kernel/errors.js';
import type { LedgerEntry } from '../../kernel/events.js';
import { optionError } from '../../options/catalogue.js';
import type { HelmReleasePlan } from '../../plan/helm/release-plan.js';
import { receptiveHelmSets, receptiveKeysSecretName, receptiveUrlProblem } from '../../plan/receptive/values.js';
import { isGitLabDotCom } from '../../plan/urls.js';
import { commentLines } from '../../plan/shell.js';
import { GitLabApiError, type GitLabClient, type GitLabMetadata } from '../../ports/gitlab.js';
import { askOption } from '../../steps/ask.js';
import type { Delivery, DeliveryCheckContext } from '../delivery.js';
import semver from 'semver';

/** The Helm plan plus where GitLab dials the agent. */
export interface ReceptivePlan {
  helm: HelmReleasePlan;
  url: string;
}

interface ReceptiveState<S> {
  helm: S;
  /** The agent's URL configuration, when it exists already with this URL (a re-run). */
  existingConfiguration?: { id: number; publicKey: string };
}

const TEN_MINUTES = 10 * 60_000;
/** Shown until GitLab returns the real key at apply time. */
const KEY_PLACEHOLDER = '<public_key from GitLab>';

/** Receptive agents: Ultimate, self-managed, GitLab 17.4 or newer; said before anything is created. */
async function checkTier(gitlab: GitLabClient, metadata: GitLabMetadata, projectId: number, agentId: number | undefined): Promise<void> {
  const refuse = (why: string) =>
    new UsageError('--method', `receptive agents ${why}`, 'use --method helm (the agent then connects to GitLab)');
  if (isGitLabDotCom(gitlab.url)) throw refuse('are for GitLab Self-Managed only, not GitLab.com');
  const version = semver.coerce(metadata.version);
  if (version && semver.lt(version, '17.4.0')) throw refuse(`need GitLab 17.4 or newer; ${gitlab.url} runs ${metadata.version}`);
  if (metadata.enterprise === false) throw refuse(`need GitLab Ultimate; ${gitlab.url} is the Community Edition`);
  // The URL-configuration API answers a bare "404 Not Found" to anything when the instance has no receptive agents.
  try {
    await gitlab.getUrlConfiguration(projectId, agentId ?? 0);
  } catch (err) {
    if (err instanceof GitLabApiError && err.status === 404 && /^404 Not Found$/.test(err.message.trim()))
      throw refuse(`are not available on ${gitlab.url}: they need GitLab Ultimate`);
    if (!(err instanceof GitLabApiError && err.status === 404)) throw err;
  }
}

/**
 * A receptive agent (GitLab dials it): the Helm delivery with receptive values and no KAS address,
 * after a URL configuration whose public key the agent checks GitLab's JWTs with. Built around the
 * Helm delivery it is given (deliveries never import each other).
 */
export function receptiveDelivery<S>(helm: Delivery<HelmReleasePlan, S>): Delivery<ReceptivePlan, ReceptiveState<S>> {
  const withKey = (plan: ReceptivePlan, tokenSecret: string, key: string): HelmReleasePlan => {
    const extra = receptiveHelmSets(plan.helm.release, tokenSecret, key);
    return { ...plan.helm, sets: [...extra.sets, ...plan.helm.sets], setStrings: [...extra.setStrings, ...plan.helm.setStrings] };
  };
  return {
    method: 'receptive',
    label: 'Receptive (GitLab connects to the agent)',
    hint: 'Ultimate, self-managed, 17.4+: for clusters that cannot reach GitLab',
    activity: helm.activity,
    tools: helm.tools,
    applyTitle: 'URL configuration, then helm upgrade --install',
    minConnectWaitMs: TEN_MINUTES + 2 * 60_000,

    validate: (opts) => helm.validate?.(opts),
    askName: (c) => helm.askName(c),
    askVersion: (c) => helm.askVersion(c),
    askExtras: async (c) => ({
      receptiveUrl: c.opts.receptiveUrl ?? (await askOption(c.io, 'receptiveUrl', '', (v) => receptiveUrlProblem(v))),
    }),
    plan(opts, name, version) {
      if (!opts.receptiveUrl) throw optionError('receptiveUrl', 'is needed for a receptive agent');
      return { helm: helm.plan(opts, name, version), url: opts.receptiveUrl };
    },
    nameOf: (plan) => helm.nameOf(plan.helm),
    summary: (target, plan) => `${helm.summary(target, plan.helm)}, reached at ${plan.url}`,
    requiredAccess: (target, settings, plan, namespaceExists) => helm.requiredAccess(target, settings, plan.helm, namespaceExists),

    // Rendered with a stand-in key: GitLab gives the real one only when the URL configuration is created.
    render:
      helm.render &&
      ((c: DeliveryCheckContext<ReceptivePlan>) => helm.render!({ ...c, plan: withKey(c.plan, c.settings.tokenSecret.name, 'x') })),
    async preflight(c: DeliveryCheckContext<ReceptivePlan>) {
      const { gitlab, target, settings, plan } = c;
      await checkTier(gitlab, c.metadata, target.projectId, target.agentId);
      if (settings.tokenSecret.name === receptiveKeysSecretName(plan.helm.release)) {
        throw optionError(
          'tokenSecret',
          `${settings.tokenSecret.name} is the name the chart gives its own receptive Secret`,
          'choose another --token-secret',
        );
      }
      const notes: string[] = [];
      let existingConfiguration: ReceptiveState<S>['existingConfiguration'];
      if (target.agentId !== undefined) {
        const current = await gitlab.getUrlConfiguration(target.projectId, target.agentId);
        if (current && current.url !== plan.url) {
          throw optionError(
            'receptiveUrl',
            `agent ${target.agentName} already has URL configuration ${current.id} for ${current.url} (GitLab allows one)`,
            `pass --receptive-url ${current.url}, or delete it in GitLab first`,
          );
        }
        if (current && !current.publicKey)
          throw optionError(
            'receptiveUrl',
            `URL configuration ${current.id} uses mTLS, which the chart does not support`,
            'delete it in GitLab and run again (JWT is used)',
          );
        if (current?.publicKey) {
          existingConfiguration = { id: current.id, publicKey: current.publicKey };
          notes.push(`URL configuration ${current.id} for ${current.url} exists: it is reused`);
        }
      }
      const check = await helm.preflight({ ...c, plan: withKey(plan, settings.tokenSecret.name, existingConfiguration?.publicKey ?? 'x') });
      notes.push(`GitLab will dial ${plan.url}: expose Service ${plan.helm.release}-gitlab-agent-service (port 8182) there`);
      return { state: { helm: check.state, existingConfiguration }, notes: [...check.notes, ...notes], upgrading: check.upgrading };
    },
    reviewItems: (plan, check) => {
      const inner = helm.reviewItems(plan.helm, check && { ...check, state: check.state.helm });
      return {
        placement: [
          ...inner.placement,
          {
            label: 'Receptive',
            value: `GitLab dials ${plan.url} (JWT; the chart's keys in Secret ${receptiveKeysSecretName(plan.helm.release)})`,
          },
        ],
        extra: inner.extra,
      };
    },
    pasteable: (target, settings, plan) =>
      [
        ...commentLines(
          `First: POST /projects/${target.projectId}/cluster_agents/<agent id>/url_configurations with url=${plan.url}; GitLab answers the public_key used below.`,
        ),
        helm.pasteable(target, settings, withKey(plan, settings.tokenSecret.name, KEY_PLACEHOLDER)),
      ].join('\n'),
    answers: (plan, state) => ({ ...helm.answers(plan.helm, state?.helm), receptiveUrl: plan.url }),
    exportText: (settings, plan, target) => helm.exportText(settings, plan.helm, target),

    async apply(c) {
      const { gitlab, target, plan, ledger } = c;
      let key = c.state.existingConfiguration?.publicKey;
      if (!key) {
        let made;
        try {
          made = await gitlab.createUrlConfiguration(target.projectId, c.agentId, { url: plan.url });
        } catch (err) {
          if (err instanceof GitLabApiError)
            throw new FlowError(
              'receptive',
              `GitLab refused the URL configuration: ${err.message}`,
              'receptive agents need GitLab Ultimate (self-managed, 17.4+) and the Maintainer role',
            );
          throw err;
        }
        if (!made.publicKey)
          throw new FlowError(
            'receptive',
            'GitLab created the URL configuration without a public key',
            'delete it in GitLab and run again',
          );
        key = made.publicKey;
        ledger.record({
          kind: 'url-configuration',
          id: String(made.id),
          description: `URL configuration ${made.id} (${plan.url}) of agent ${target.agentName}`,
          created: true,
          undo: `DELETE /projects/${target.projectId}/cluster_agents/${c.agentId}/url_configurations/${made.id}`,
        });
      }
      c.io.emit({
        type: 'info',
        text: 'GitLab may take up to 10 minutes to start dialling a new receptive agent; the install keeps watching',
      });
      await helm.apply({ ...c, plan: withKey(plan, c.settings.tokenSecret.name, key), state: c.state.helm });
    },
    workload: (target, plan) => helm.workload(target, plan.helm),
    uninstallHint: (target, plan) =>
      helm.uninstallHint?.(target, plan.helm) ??
      `helm uninstall ${plan.helm.release} -n ${target.namespace} --kube-context ${target.context}`,
    remove: (entry: LedgerEntry, target, plan, ports, io) => helm.remove(entry, target, plan.helm, ports, io),
  };
}
