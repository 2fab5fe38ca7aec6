import type { Check } from '../check.js';
import { DOCS } from '../docs.js';
import type { Evidence, EventEvidence, PodEvidence, WorkloadEvidence } from '../evidence.js';
import type { Category, Finding, Status } from '../finding.js';
import { defineCheck, notApplicable, ok, problem } from '../make.js';
import { fill } from '../placeholders.js';
import { tokenVolumeOf } from '../deployment-args.js';
import { recommendedTag } from '../versions.js';
import { classifyContext, classifyLine, type Classified } from './agentk-logs.js';
import { conditionText } from './flux.js';

/**
 * Kubernetes side: the helm release, the token Secret, the Deployment rollout, and the pods with their
 * container states and Warning events (kubelet/scheduler/controller reasons from troubleshoot.md §4.3).
 * Reasons are matched first, message wording second (it varies by Kubernetes version).
 */

const IMAGE_PULL = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'ErrImageNeverPull', 'ImageInspectError']);
const CONFIG_ERRORS = new Set(['CreateContainerConfigError', 'CreateContainerError', 'RunContainerError']);

/** Mount and scheduling problems often heal within a minute (a Secret being created, a node scaling up). */
const GRACE_MS = 60_000;

/** As the install's readiness diagnosis: these are final at once, the kubelet will only back off further. */
const FINAL_AT_ONCE: ReadonlySet<Category> = new Set([
  'image-pull',
  'crash-loop',
  'oom-killed',
  'pod-security-rejected',
  'agent-args-invalid',
]);
/** These count as failures only after the grace period. */
const FINAL_AFTER_GRACE: ReadonlySet<Category> = new Set([
  'token-secret-missing',
  'unschedulable',
  'container-config-error',
  'pod-create-rejected',
]);

const TIMEOUT =
  /context deadline exceeded|timed out waiting for the condition|timeout waiting for|not ready\. status: InProgress|failed early due to stalled resources/;

function noWorkload(e: Evidence): string | undefined {
  return e.workload ? undefined : 'the cluster objects were not read';
}

export const wlRelease = defineCheck({
  id: 'WL-RELEASE',
  layer: 'workload',
  title: 'Helm release deployed',
  dependsOn: [],
  fatal: false,
  run(e, self) {
    const why = noWorkload(e);
    if (why) return [notApplicable(self, why)];
    const w = e.workload as WorkloadEvidence;
    const r = w.release;
    if (r === undefined) return [notApplicable(self, 'the helm release was not read')];
    if (r === null) {
      if (w.deployment) return [notApplicable(self, 'no helm release record: the agent was installed another way')];
      return [
        problem(self, {
          suffix: 'MISSING',
          status: 'fail',
          category: 'release-failed',
          title: `No agent release and no agentk Deployment in ${w.namespace}`,
          evidence: [`helm list -n ${w.namespace}: no release of gitlab-agent`, 'no Deployment with app.kubernetes.io/name=gitlab-agent'],
          cause: 'Nothing of the agent is installed in this namespace.',
          fix: fill('gitlab-agent-tui install --namespace <namespace> --agent <agent>', e.context),
          docsUrl: DOCS.install,
        }),
      ];
    }
    const subject = { kind: 'HelmRelease', name: r.name, namespace: r.namespace };
    const evidence = [
      `${r.name} revision ${r.revision}: ${r.status}${r.chart ? ` (${r.chart})` : ''}`,
      ...(r.description ? [r.description] : []),
    ];
    const ctx = { release: r.name, namespace: r.namespace };
    if (r.status === 'failed') {
      const timeout = TIMEOUT.test(r.description ?? '');
      return [
        problem(self, {
          suffix: 'FAILED',
          status: 'fail',
          category: 'release-failed',
          title: `Helm release ${r.name} is failed (revision ${r.revision})`,
          evidence,
          cause: timeout
            ? 'helm waited for the agent pods and gave up: the pod findings say why.'
            : 'The last helm install or upgrade of the agent failed.',
          fix: fill('Fix the cause, then gitlab-agent-tui upgrade --release <release> --namespace <namespace>', e.context, ctx),
          docsUrl: DOCS.install,
          subject,
          symptom: timeout,
        }),
      ];
    }
    if (r.status.startsWith('pending-') || r.status === 'uninstalling') {
      const back = r.lastGoodRevision;
      return [
        problem(self, {
          suffix: 'PENDING',
          status: 'fail',
          category: 'release-failed',
          title: `Helm release ${r.name} is stuck ${r.status}`,
          evidence,
          cause:
            'A helm operation was interrupted; until the release leaves this state every upgrade fails with "another operation (install/upgrade/rollback) is in progress".',
          fix:
            back !== undefined
              ? fill(`helm rollback <release> ${back} -n <namespace>`, e.context, ctx)
              : fill('helm uninstall <release> -n <namespace>, then gitlab-agent-tui install again', e.context, ctx),
          docsUrl: DOCS.helmRollback,
          subject,
        }),
      ];
    }
    return [ok(self, evidence)];
  },
});

export const wlSecret = defineCheck({
  id: 'WL-SECRET',
  layer: 'workload',
  title: 'Token Secret present with key "token"',
  dependsOn: [],
  fatal: false,
  run(e, self) {
    const why = noWorkload(e);
    if (why) return [notApplicable(self, why)];
    const w = e.workload as WorkloadEvidence;
    const s = w.tokenSecret;
    const name = s?.name ?? tokenVolumeOf(w.deployment)?.secretName;
    if (s === undefined) return [notApplicable(self, 'the token Secret was not read')];
    const fix = fill(
      'Create a token for the agent in GitLab, then kubectl -n <namespace> create secret generic <secret> --from-file=token=<token-file>',
      e.context,
      { secret: name, namespace: w.namespace },
    );
    if (s === null) {
      if (!name) return [notApplicable(self, 'no token Secret is referenced by the Deployment')];
      return [
        problem(self, {
          suffix: 'MISSING',
          status: 'fail',
          category: 'token-secret-missing',
          title: `Secret ${name} does not exist in ${w.namespace}`,
          evidence: [`secrets "${name}" not found`],
          cause: `The Deployment mounts the agent token from Secret ${name}, which does not exist, so the pods cannot start (FailedMount).`,
          fix,
          docsUrl: DOCS.secrets,
          subject: { kind: 'Secret', name, namespace: w.namespace },
        }),
      ];
    }
    if (!s.keys.includes('token')) {
      return [
        problem(self, {
          suffix: 'NO-KEY',
          status: 'fail',
          category: 'token-secret-missing',
          title: `Secret ${s.name} has no key "token"`,
          evidence: [`keys: ${s.keys.join(', ') || '(none)'}`],
          cause: 'agentk reads /etc/agentk/secrets/token, i.e. the key "token" of the Secret, which is missing.',
          fix,
          docsUrl: DOCS.secrets,
          subject: { kind: 'Secret', name: s.name, namespace: w.namespace },
        }),
      ];
    }
    return [ok(self, [`Secret ${s.name}: key token present`])];
  },
});

export const wlRollout = defineCheck({
  id: 'WL-ROLLOUT',
  layer: 'workload',
  title: 'Deployment rolled out',
  dependsOn: [],
  fatal: false,
  run(e, self) {
    const why = noWorkload(e);
    if (why) return [notApplicable(self, why)];
    const w = e.workload as WorkloadEvidence;
    const d = w.deployment;
    if (d === undefined) return [notApplicable(self, 'the Deployment was not read')];
    if (d === null) {
      if (!w.release || w.release.status !== 'deployed') return [notApplicable(self, 'no agentk Deployment (see the release)')];
      return [
        problem(self, {
          suffix: 'MISSING',
          status: 'fail',
          category: 'rollout-stalled',
          title: `Release ${w.release.name} is deployed but has no agentk Deployment`,
          evidence: [`no Deployment with app.kubernetes.io/instance=${w.release.name} in ${w.namespace}`],
          cause: 'The Deployment was deleted outside helm.',
          fix: fill('gitlab-agent-tui upgrade --release <release> --namespace <namespace>', e.context, { release: w.release.name }),
          docsUrl: DOCS.install,
        }),
      ];
    }
    const subject = { kind: 'Deployment', name: d.name, namespace: w.namespace };
    const progressing = d.conditions.find((c) => c.type === 'Progressing');
    const replicaFailure = d.conditions.find((c) => c.type === 'ReplicaFailure' && c.status === 'True');
    const counts = `${d.readyReplicas}/${d.replicas} ready, ${d.updatedReplicas} updated, ${d.availableReplicas} available`;
    if (replicaFailure) {
      return [
        problem(self, {
          suffix: 'REPLICA-FAILURE',
          status: 'fail',
          category: 'rollout-stalled',
          title: `Deployment ${d.name} cannot create pods`,
          evidence: [conditionText(replicaFailure), counts],
          cause: 'The ReplicaSet is refused when it creates pods: the pod findings name the reason.',
          fix: fill(`kubectl -n <namespace> describe replicaset -l app.kubernetes.io/instance=<release>`, e.context),
          docsUrl: DOCS.rollout,
          subject,
          symptom: true,
        }),
      ];
    }
    if (progressing?.reason === 'ProgressDeadlineExceeded') {
      return [
        problem(self, {
          suffix: 'DEADLINE',
          status: 'fail',
          category: 'rollout-stalled',
          title: `deployment "${d.name}" exceeded its progress deadline`,
          evidence: [conditionText(progressing), counts],
          cause: 'The rollout made no progress for progressDeadlineSeconds: the pods never became ready (the pod findings say why).',
          fix: fill(`kubectl -n <namespace> describe pods -l app.kubernetes.io/instance=<release>`, e.context),
          docsUrl: DOCS.rollout,
          subject,
          symptom: true,
        }),
      ];
    }
    const pending = (text: string): Finding =>
      problem(self, {
        suffix: 'PROGRESSING',
        status: 'warn',
        category: 'rollout-stalled',
        title: text,
        evidence: [counts, ...(progressing ? [conditionText(progressing)] : [])],
        cause: 'The rollout is still in progress (as kubectl rollout status would say); if it stays so, the pod findings explain it.',
        fix: fill(`kubectl -n <namespace> rollout status deployment/${d.name}`, e.context),
        docsUrl: DOCS.rollout,
        subject,
      });
    if (d.generation > d.observedGeneration) return [pending('Waiting for deployment spec update to be observed')];
    if (d.replicas === 0) {
      return [
        problem(self, {
          suffix: 'ZERO',
          status: 'warn',
          category: 'rollout-stalled',
          title: `Deployment ${d.name} is scaled to zero`,
          evidence: [counts],
          cause: 'No agentk pod runs, so the agent is not connected.',
          fix: fill(`kubectl -n <namespace> scale deployment/${d.name} --replicas=2`, e.context),
          docsUrl: DOCS.rollout,
          subject,
        }),
      ];
    }
    if (d.updatedReplicas < d.replicas)
      return [pending(`Waiting for rollout: ${d.updatedReplicas} out of ${d.replicas} new replicas have been updated`)];
    if (d.statusReplicas > d.updatedReplicas)
      return [pending(`Waiting for rollout: ${d.statusReplicas - d.updatedReplicas} old replicas are pending termination`)];
    if (d.availableReplicas < d.updatedReplicas)
      return [pending(`Waiting for rollout: ${d.availableReplicas} of ${d.updatedReplicas} updated replicas are available`)];
    return [ok(self, [`deployment "${d.name}" successfully rolled out`, counts])];
  },
});

interface Acc {
  suffix: string;
  category: Category;
  status: Exclude<Status, 'ok' | 'skip'>;
  title: string;
  evidence: string[];
  cause: string;
  fix: string;
  docsUrl: string;
  symptom?: boolean;
}

const eventText = (ev: EventEvidence) => `${ev.reason} ${ev.kind}/${ev.name}${ev.count > 1 ? ` (x${ev.count})` : ''}: ${ev.message}`;

/** `graceMs` 0: no age-based leniency (for the install's verdict, which applies its own elapsed time). */
function podFindings(e: Evidence, self: Pick<Check, 'id' | 'layer'>, graceMs = GRACE_MS): Finding[] {
  const w = e.workload as WorkloadEvidence;
  const now = Date.parse(e.observedAt);
  const acc = new Map<string, Acc>();
  const add = (a: Omit<Acc, 'evidence'>, evidence: string[]) => {
    const prev = acc.get(a.suffix);
    if (prev) {
      for (const x of evidence) if (!prev.evidence.includes(x)) prev.evidence.push(x);
      if (a.status === 'fail') prev.status = 'fail';
      prev.symptom = Boolean(prev.symptom && a.symptom);
      return;
    }
    acc.set(a.suffix, { ...a, evidence: [...evidence] });
  };
  const podsByName = new Map(w.pods.map((p) => [p.name, p]));
  const young = (p: PodEvidence | undefined) =>
    graceMs > 0 && p?.createdAt !== undefined && !Number.isNaN(now) && now - Date.parse(p.createdAt) < graceMs;
  const softStatus = (p: PodEvidence | undefined): 'warn' | 'fail' => (young(p) ? 'warn' : 'fail');
  const ctx = classifyContext(e);
  const tag = recommendedTag(e.gitlab?.metadata?.kas.version, e.gitlab?.metadata?.version);
  const upgrade = (flags: string) => fill(`gitlab-agent-tui upgrade --release <release> --namespace <namespace> ${flags}`, e.context);
  const tokenVolume = tokenVolumeOf(w.deployment);
  const tokenSecret = w.tokenSecret?.name ?? tokenVolume?.secretName;

  // The cause of a pull failure is in whichever text names it (waiting message or a Failed event): decide at the end.
  const pullTexts: string[] = [];
  const pullEvidence: string[] = [];
  const imagePull = (text: string, evidence: string[]) => {
    pullTexts.push(text);
    for (const x of evidence) if (!pullEvidence.includes(x)) pullEvidence.push(x);
  };
  const finishImagePull = () => {
    if (!pullTexts.length) return;
    const text = pullTexts.join('\n');
    const reason = /not found|manifest unknown|NotFound/.test(text)
      ? 'tag'
      : /unauthorized|authentication required|denied|Forbidden/i.test(text)
        ? 'auth'
        : /no such host|i\/o timeout|dial tcp|connection refused|TLS handshake timeout|network is unreachable/.test(text)
          ? 'network'
          : /InvalidImageName|invalid reference format|couldn't parse image/.test(text)
            ? 'invalid'
            : 'other';
    add(
      {
        suffix: 'IMAGE-PULL',
        category: 'image-pull',
        status: 'fail',
        title: 'The agentk image cannot be pulled',
        cause: {
          tag: 'The image tag does not exist in the registry (agentk tags carry a v prefix, e.g. v18.6.0).',
          auth: 'The registry refuses the pull: it needs credentials (imagePullSecrets).',
          network: 'The nodes cannot reach the registry (air-gapped cluster, proxy or DNS).',
          invalid: 'The image reference is not valid.',
          other: 'The kubelet cannot pull the agentk image.',
        }[reason],
        fix:
          reason === 'auth' || reason === 'network'
            ? upgrade('--image-repository <mirror>/agentk') + ' (and --set imagePullSecrets[0].name=<pull-secret>)'
            : upgrade(`--image-tag ${tag ?? 'v<major>.<minor>.<patch>'}`),
        docsUrl: DOCS.imagePull,
      },
      pullEvidence,
    );
  };

  const fromLogs = (pod: string, termination?: string): Classified[] => {
    const lines = [
      ...(e.logs ?? []).filter((c) => c.pod === pod && c.previous).flatMap((c) => c.lines),
      ...(termination ? termination.split('\n') : []),
    ];
    return lines.map((l) => classifyLine(l, ctx)).filter((c): c is Classified => c !== undefined);
  };

  for (const pod of w.pods) {
    if (pod.deleting) continue;
    for (const c of pod.containers) {
      const where = `pod/${pod.name} container ${c.name}`;
      const reason = c.reason ?? '';
      const last = c.lastTermination;
      if (c.state === 'waiting' && IMAGE_PULL.has(reason)) {
        imagePull(`${reason} ${c.message ?? ''}`, [`${where}: ${reason}${c.message ? `: ${c.message}` : ''} (image ${c.image})`]);
        continue;
      }
      const oom = last?.reason === 'OOMKilled' || (c.state === 'terminated' && reason === 'OOMKilled');
      if (oom) {
        add(
          {
            suffix: 'OOM',
            category: 'oom-killed',
            status: 'fail',
            title: 'agentk is killed for using too much memory',
            cause: 'The kernel killed agentk (OOMKilled, exit 137) because it exceeded its memory limit.',
            fix: upgrade('--set resources.limits.memory=512Mi --set resources.requests.memory=256Mi'),
            docsUrl: DOCS.resources,
          },
          [`${where}: OOMKilled (exit ${last?.exitCode ?? 137}), ${c.restartCount} restarts`],
        );
        continue;
      }
      if (reason === 'CrashLoopBackOff' || (c.restartCount >= 3 && !c.ready && last !== undefined)) {
        const causes = fromLogs(pod.name, last?.message);
        const named = causes[0];
        const evidence = [
          `${where}: ${reason || 'restarting'}, ${c.restartCount} restarts, last exit ${last?.exitCode ?? '?'}${last?.reason ? ` (${last.reason})` : ''}`,
          ...(last?.message ? [last.message.trim().split('\n').slice(-1)[0] ?? ''] : []),
          ...[...new Set(causes.map((x) => x.line.raw))].slice(0, 3),
        ].filter((x) => x !== '');
        add(
          {
            suffix: 'CRASH-LOOP',
            category: 'crash-loop',
            status: 'fail',
            title: 'agentk keeps crashing',
            cause: named
              ? `agentk exits repeatedly; its previous log says why: ${named.cls.title.charAt(0).toLowerCase()}${named.cls.title.slice(1)} (${named.cls.category}).`
              : `agentk exits repeatedly (exit code ${last?.exitCode ?? 'unknown'}); its previous log holds the reason.`,
            fix: fill(`kubectl -n <namespace> logs ${pod.name} -c ${c.name} --previous`, e.context),
            docsUrl: DOCS.crashLoop,
            symptom: named !== undefined,
          },
          evidence,
        );
        continue;
      }
      if (CONFIG_ERRORS.has(reason)) {
        add(
          {
            suffix: 'CONFIG',
            category: 'container-config-error',
            status: softStatus(pod),
            title: `The container cannot be created (${reason})`,
            cause: 'A Secret, ConfigMap or key the container references (extraEnv valueFrom, a mounted file) is missing.',
            fix: fill(
              'Create the missing object named in the message in <namespace>, or fix the reference in extraEnv/extraVolumes',
              e.context,
            ),
            docsUrl: DOCS.secrets,
          },
          [`${where}: ${reason}${c.message ? `: ${c.message}` : ''}`],
        );
      }
    }
    const unscheduled = pod.conditions.find((c) => c.type === 'PodScheduled' && c.status === 'False');
    if (unscheduled) {
      add(
        {
          suffix: 'UNSCHEDULABLE',
          category: 'unschedulable',
          status: softStatus(pod),
          title: 'No node can run the agent pod',
          cause: 'The scheduler finds no node that fits the pod (resources, taints, node selector or affinity).',
          fix: upgrade('--set nodeSelector.<label>=<value> / tolerations / resources.requests') + ', or add node capacity',
          docsUrl: DOCS.scheduling,
        },
        [`pod/${pod.name}: ${conditionText(unscheduled)}`],
      );
    }
  }

  const createFailures = [
    ...w.events
      .filter((ev) => ev.type === 'Warning' && ev.reason === 'FailedCreate')
      .map((ev) => ({ text: eventText(ev), message: ev.message })),
    ...(w.deployment?.conditions ?? [])
      .filter((c) => c.type === 'ReplicaFailure' && c.status === 'True' && c.message)
      .map((c) => ({ text: conditionText(c), message: c.message ?? '' })),
  ];
  for (const f of createFailures) {
    if (/violates PodSecurity/.test(f.message)) {
      const level = /violates PodSecurity "([^"]+)"/.exec(f.message)?.[1] ?? 'restricted:latest';
      add(
        {
          suffix: 'POD-SECURITY',
          category: 'pod-security-rejected',
          status: 'fail',
          title: `Pod Security admission (${level}) rejects the agent pods`,
          cause: `The namespace enforces Pod Security "${level}", and the chart's default securityContext is empty.`,
          fix: upgrade(
            '--set securityContext.allowPrivilegeEscalation=false --set securityContext.capabilities.drop={ALL} --set podSecurityContext.runAsNonRoot=true --set podSecurityContext.seccompProfile.type=RuntimeDefault',
          ),
          docsUrl: DOCS.podSecurity,
        },
        [f.text],
      );
    } else {
      const quota = /exceeded quota|failed quota|must specify limits|must specify requests/.test(f.message);
      const sa = /serviceaccount "[^"]+" not found|error looking up service account/.test(f.message);
      add(
        {
          suffix: 'CREATE-REJECTED',
          category: 'pod-create-rejected',
          status: 'fail',
          title: 'Kubernetes refuses to create the agent pods',
          cause: quota
            ? 'A ResourceQuota in the namespace refuses the pods (no room left, or it requires requests/limits the chart does not set).'
            : sa
              ? 'The pods name a ServiceAccount that does not exist.'
              : 'An admission webhook or policy refuses the pods.',
          fix: quota
            ? upgrade('--set resources.requests.cpu=50m --set resources.requests.memory=128Mi --set resources.limits.memory=256Mi') +
              ', or raise the quota'
            : sa
              ? upgrade('--service-account <existing-service-account>') + ' (or let the chart create it)'
              : 'Read the webhook or policy named in the message and exempt the agent namespace or adjust the pod spec',
          docsUrl: quota ? DOCS.quota : DOCS.rollout,
        },
        [f.text],
      );
    }
  }

  for (const ev of w.events) {
    if (ev.type !== 'Warning') continue;
    const pod = podsByName.get(ev.name);
    if (ev.reason === 'FailedMount') {
      const token =
        /references non-existent secret key: token/.test(ev.message) ||
        (tokenSecret !== undefined && ev.message.includes(`secret "${tokenSecret}" not found`)) ||
        (tokenVolume !== undefined && ev.message.includes(`volume "${tokenVolume.name}"`) && /not found|non-existent/.test(ev.message));
      if (token) {
        add(
          {
            suffix: 'MOUNT-TOKEN',
            category: 'token-secret-missing',
            status: softStatus(pod),
            title: 'The token Secret cannot be mounted',
            cause: `The pod waits in ContainerCreating because the token Secret${tokenSecret ? ` ${tokenSecret}` : ''} (or its key "token") does not exist.`,
            fix: fill(
              'Create a token for the agent in GitLab, then kubectl -n <namespace> create secret generic <secret> --from-file=token=<token-file>',
              e.context,
              { secret: tokenSecret },
            ),
            docsUrl: DOCS.secrets,
          },
          [eventText(ev)],
        );
      } else {
        add(
          {
            suffix: 'MOUNT',
            category: 'container-config-error',
            status: softStatus(pod),
            title: 'A volume of the agent pod cannot be mounted',
            cause: /configmap/i.test(ev.message)
              ? 'A ConfigMap the pod mounts (the KAS CA ConfigMap?) does not exist.'
              : 'A Secret or ConfigMap the pod mounts does not exist.',
            fix: /configmap/i.test(ev.message)
              ? upgrade('--kas-ca-cert <ca-file>')
              : fill('Create the object named in the message in <namespace>', e.context),
            docsUrl: DOCS.secrets,
          },
          [eventText(ev)],
        );
      }
    } else if (ev.reason === 'FailedScheduling') {
      add(
        {
          suffix: 'UNSCHEDULABLE',
          category: 'unschedulable',
          status: softStatus(pod),
          title: 'No node can run the agent pod',
          cause: 'The scheduler finds no node that fits the pod (resources, taints, node selector or affinity).',
          fix: upgrade('--set nodeSelector.<label>=<value> / tolerations / resources.requests') + ', or add node capacity',
          docsUrl: DOCS.scheduling,
        },
        [eventText(ev)],
      );
    } else if (
      (ev.reason === 'Failed' || ev.reason === 'BackOff') &&
      /Failed to pull image|Back-off pulling image|ErrImagePull|ImagePullBackOff|InvalidImageName/.test(ev.message)
    ) {
      imagePull(ev.message, [eventText(ev)]);
    } else if (ev.reason === 'BackOff' && /Back-off restarting failed container/.test(ev.message)) {
      add(
        {
          suffix: 'CRASH-LOOP',
          category: 'crash-loop',
          status: 'fail',
          title: 'agentk keeps crashing',
          cause: 'agentk exits repeatedly; its previous log holds the reason.',
          fix: fill(`kubectl -n <namespace> logs ${ev.name} --previous`, e.context),
          docsUrl: DOCS.crashLoop,
          symptom: fromLogs(ev.name).length > 0,
        },
        [eventText(ev)],
      );
    }
  }

  finishImagePull();

  // Running but failing probes, with nothing more specific: worth a warning.
  const unhealthy = w.events.filter((ev) => ev.type === 'Warning' && ev.reason === 'Unhealthy');
  if (acc.size === 0 && unhealthy.length) {
    add(
      {
        suffix: 'UNHEALTHY',
        category: 'rollout-stalled',
        status: 'warn',
        title: "agentk's health probes fail",
        cause: "agentk's /readiness or /liveness on port 8080 fails; the agent log says what it is waiting for.",
        fix: fill('kubectl -n <namespace> logs -l app.kubernetes.io/instance=<release> --tail=50', e.context),
        docsUrl: DOCS.troubleshooting,
      },
      unhealthy.slice(-3).map(eventText),
    );
  }

  return [...acc.values()].map((a) =>
    problem(self, {
      suffix: a.suffix,
      status: a.status,
      category: a.category,
      title: a.title,
      evidence: a.evidence,
      cause: a.cause,
      fix: a.fix,
      docsUrl: a.docsUrl,
      symptom: a.symptom === true,
    }),
  );
}

export const wlPods = defineCheck({
  id: 'WL-PODS',
  layer: 'workload',
  title: 'Agent pods running',
  dependsOn: ['WL-SECRET', 'WL-ROLLOUT'],
  fatal: false,
  run(e, self) {
    const why = noWorkload(e);
    if (why) return [notApplicable(self, why)];
    const w = e.workload as WorkloadEvidence;
    const found = podFindings(e, self);
    if (found.length) return found;
    const live = w.pods.filter((p) => !p.deleting);
    if (!live.length) return [notApplicable(self, 'no agent pods')];
    return [
      ok(
        self,
        live.map(
          (p) =>
            `pod/${p.name}: ${p.phase}, ${p.containers.map((c) => `${c.name} ${c.ready ? 'ready' : 'not ready'}, ${c.restartCount} restarts`).join('; ')}`,
        ),
      ),
    ];
  },
});

export const WORKLOAD_CHECKS = [wlRelease, wlSecret, wlRollout, wlPods];

export type WorkloadVerdict =
  | { state: 'ready'; progress: string }
  | { state: 'waiting'; progress: string; findings: Finding[] }
  | { state: 'failed'; progress: string; findings: Finding[] };

/**
 * The install's readiness decision on the diagnosis rules (same semantics as core/readiness/diagnose.ts):
 * ready as `kubectl rollout status` would say; image pull, crash loop, OOM, Pod Security and bad flags are
 * final at once; a missing token Secret, scheduling, container config and pod creation failures only once
 * `elapsedMs` reaches `graceMs`.
 */
export function workloadVerdict(
  workload: WorkloadEvidence,
  elapsedMs: number,
  graceMs = GRACE_MS,
  logs: Evidence['logs'] = [],
): WorkloadVerdict {
  const live = workload.pods.filter((p) => !p.deleting);
  const d = workload.deployment ?? undefined;
  const desired = d?.replicas ?? live.length;
  const readyPods = live.filter((p) => p.containers.length > 0 && p.containers.every((c) => c.ready)).length;
  const progress = `${readyPods}/${desired} pods ready`;
  if (
    d &&
    d.replicas > 0 &&
    d.observedGeneration >= d.generation &&
    d.updatedReplicas >= d.replicas &&
    d.statusReplicas <= d.updatedReplicas &&
    d.availableReplicas >= d.replicas &&
    readyPods >= d.replicas
  ) {
    return { state: 'ready', progress };
  }
  const e: Evidence = { observedAt: new Date(0).toISOString(), context: { namespace: workload.namespace }, workload, logs };
  const findings = podFindings(e, { id: 'WL-PODS', layer: 'workload' }, 0);
  const hard = findings.filter((f) => FINAL_AT_ONCE.has(f.category));
  const soft = findings.filter((f) => FINAL_AFTER_GRACE.has(f.category));
  if (hard.length) return { state: 'failed', progress, findings };
  if (soft.length && elapsedMs >= graceMs) return { state: 'failed', progress, findings };
  return { state: 'waiting', progress, findings };
}
