import { commandRunner } from '../../src/cli/main.js';
import type { RunCommand } from '../../src/core/commands/registry.js';
import { createDemoPorts, type DemoWorld } from '../../src/demo/index.js';
import { KEY, frame, press, waitFor, waitForText, type Rendered } from './helpers.js';

/**
 * The product's real commands over the demo world, run as the CLI runs them (`commandRunner`, menu
 * defaults for every option), and the install wizard answered with real key presses.
 */

/** `env`: what the flow sees of the environment (default: the demo's GITLAB_TOKEN). */
export function demoRunner(world: DemoWorld, env?: Record<string, string>): RunCommand {
  return commandRunner(async () => createDemoPorts({ world, env }));
}

export interface WizardAnswers {
  agent: string;
  /** Typed over the suggested tag; default: keep the suggestion. */
  imageTag?: string;
  /** Typed over the suggested replica count on the advanced options screen; default: skip the screen with one key. */
  replicas?: string;
}

/** A question waiting for its answer: answered ones are printed without their flag. */
const asking = (r: Rendered, flag: string) => waitForText(r, `(${flag})`);

/** From the first question (the context picker) to the review, each question answered as a user would. */
export async function answerInstallWizard(r: Rendered, answers: WizardAnswers): Promise<void> {
  // Context: wait for the background probes, keep the current context.
  await waitForText(r, /demo-prod .*✓ v1\.35\.7/);
  await waitForText(r, /demo-offline .*✗ unreachable/);
  await press(r, KEY.enter);
  await asking(r, '--method');
  await press(r, KEY.enter);

  // Project: search as you type.
  await asking(r, '--project');
  await press(r, 'infra');
  await waitFor(
    () => frame(r).includes('❯ demo-group/infrastructure') && !frame(r).includes('demo-group/apps') && !frame(r).includes('searching…'),
    () => `search results for "infra":\n${frame(r)}`,
  );
  await press(r, KEY.enter);

  await asking(r, '--agent');
  await press(r, answers.agent);
  await waitForText(r, `› ${answers.agent}`);
  await press(r, KEY.enter);

  await waitForText(r, `› gitlab-agent-${answers.agent}`);
  await press(r, KEY.enter);
  await asking(r, '--release');
  await press(r, KEY.enter);

  await waitForText(r, '› v18.6.1');
  if (answers.imageTag !== undefined) {
    await press(r, ...Array<string>('v18.6.1'.length).fill(KEY.backspace), answers.imageTag);
    await waitForText(r, `› ${answers.imageTag}`);
  }
  await press(r, KEY.enter);
  await asking(r, '--chart-version');
  await press(r, KEY.enter);

  await waitForText(r, 'through an HTTP proxy? (y/N)');
  await press(r, KEY.enter);
  await waitForText(r, 'private CA certificate? (y/N)');
  await press(r, KEY.enter);
  await asking(r, '--existing-role');
  await press(r, KEY.enter);
  await asking(r, '--create-config');
  await press(r, KEY.enter);
  await waitForText(r, 'Change advanced options?');
  if (answers.replicas === undefined) await press(r, KEY.enter);
  else {
    await press(r, 'y');
    await asking(r, '--replicas');
    await press(r, KEY.backspace, answers.replicas, KEY.enter);
    // The rest keep their defaults (empty).
    for (const flag of [
      '--requests',
      '--limits',
      '--node-selector',
      '--toleration',
      '--priority-class',
      '--image-pull-secret',
      '--pod-label',
      '--pod-annotation',
      '--kas-header',
      '--kas-tls-server-name',
    ]) {
      await asking(r, flag);
      await press(r, KEY.enter);
    }
  }
  await waitForText(r, 'Install with these settings?');
}
