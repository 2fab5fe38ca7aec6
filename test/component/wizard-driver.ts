import { KEY, frame, press, waitFor, waitForText, type Rendered } from './helpers.js';
import { TOKEN } from './scripted-flow.js';

/** Answers every question of the scripted flow with real key presses, up to the review screen. */
export async function answerUpToReview(r: Rendered): Promise<void> {
  await waitForText(r, '✓ v1.35.7');
  await press(r, KEY.enter);
  await waitForText(r, 'Agent name');
  await press(r, KEY.enter);
  await waitForText(r, 'GitLab personal access token');
  await press(r, TOKEN);
  await waitForText(r, '*'.repeat(TOKEN.length));
  await press(r, KEY.enter);
  await waitForText(r, 'Grant the agent cluster-admin?');
  await press(r, KEY.enter);
  await waitForText(r, 'Agent configuration project');
  await press(r, 'ops');
  await waitFor(
    () => frame(r).includes('platform/opsdev') && !frame(r).includes('web/site') && !frame(r).includes('searching…'),
    () => `search results for "ops":\n${frame(r)}`,
  );
  await press(r, KEY.enter);
  await waitForText(r, 'Proceed?');
}
