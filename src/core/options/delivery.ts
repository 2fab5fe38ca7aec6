import { EXPORT_FORMATS } from '../plan/choices.js';
import { fluxPathProblem } from '../plan/flux/paths.js';
import { receptiveUrlProblem } from '../plan/receptive/values.js';
import type { OptionSpec } from './option.js';

/** What the Flux, advanced and receptive deliveries need beyond Helm's, and export as code. */
export const deliveryOptions = {
  manifestPath: {
    flag: '--manifest-path',
    arg: '<path>',
    help: 'flux: directory in the repository for the agent manifests; must be the path Flux reconciles (or below it)',
    defaultHelp: 'the path of the Flux Kustomization that reconciles the project',
    problem: fluxPathProblem,
    fix: 'a relative directory such as clusters/prod',
    ask: {
      message: 'Directory for the agent manifests in the repository',
      help: 'Flux only applies what is under the path it was bootstrapped with (flux bootstrap --path).',
    },
  },
  mergeRequest: {
    flag: '--merge-request',
    help: 'flux: commit to a new branch and open a merge request instead of pushing to the Flux branch (protected branches)',
    defaultHelp: 'commit to the Flux branch',
  },
  addRootKustomization: {
    flag: '--add-root-kustomization',
    help: 'flux: when Flux reconciles the repository root and it has no kustomization.yaml, commit one (asked otherwise)',
    defaultHelp: 'asked; no with `--yes`',
  },
  manifestsDir: {
    flag: '--manifests-dir',
    arg: '<dir>',
    help: 'advanced: also write the kustomize package to this directory (for kpt or GitOps); no token in it',
  },
  receptiveUrl: {
    flag: '--receptive-url',
    arg: '<url>',
    help: 'receptive: the grpc:// or grpcs:// address where GitLab reaches the agent',
    problem: receptiveUrlProblem,
    fix: 'e.g. grpcs://agent.example.com:443',
    ask: {
      message: 'Address GitLab dials to reach the agent (grpcs://host:port)',
      help: 'Expose the agent Service (port 8182) at this address, e.g. with an Ingress or a load balancer.',
      placeholder: 'grpcs://agent.example.com:443',
    },
  },
  exportDir: {
    flag: '--export',
    arg: '<dir>',
    help: 'write the install as code to this directory instead of installing (see --format); creates nothing',
  },
  exportFormat: {
    flag: '--format',
    arg: '<format>',
    help: `what --export writes: ${EXPORT_FORMATS.join(', ')}`,
    defaultHelp: 'by --method: helm-values, flux, kustomize (advanced)',
    problem: (v: string) =>
      (EXPORT_FORMATS as readonly string[]).includes(v)
        ? undefined
        : { message: `unknown format "${v}"`, fix: `use one of ${EXPORT_FORMATS.join(', ')}` },
  },
} satisfies Record<string, OptionSpec<string> | OptionSpec<boolean>>;
