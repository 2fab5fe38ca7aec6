import type { ReviewItem } from '../../kernel/events.js';
import type { HelmReleasePlan } from '../../plan/helm/release-plan.js';
import type { DeliveryCheck } from '../delivery.js';
import type { HelmState } from './preflight.js';

/** The release and chart rows (after the namespace) and the extra values rows (last). */
export function helmReviewItems(
  plan: HelmReleasePlan,
  check: DeliveryCheck<HelmState> | undefined,
): { placement: ReviewItem[]; extra: ReviewItem[] } {
  const chart =
    plan.chart.kind === 'repo'
      ? `${plan.chart.name} ${plan.chartVersion ?? '(newest)'} from ${plan.chart.repo}`
      : `${plan.chart.ref}${plan.chartVersion ? ` ${plan.chartVersion}` : ''}`;
  const placement: ReviewItem[] = [
    { label: 'Helm release', value: check?.state.releaseExists ? `${plan.release} (exists: upgrade)` : plan.release, answer: 'release' },
    { label: 'Chart', value: chart, answer: 'chart-version' },
  ];
  const extra: ReviewItem[] = [];
  if (plan.valuesFiles.length) extra.push({ label: 'Extra values files', value: plan.valuesFiles.join(', ') });
  if (plan.sets.length) extra.push({ label: 'Extra --set', value: plan.sets.join(' ') });
  if (plan.setStrings.length) extra.push({ label: 'Extra --set-string', value: plan.setStrings.join(' ') });
  return { placement, extra };
}
