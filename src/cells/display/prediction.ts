import { formatPercent as percent } from '../../lib/format.ts';
import type * as PlotModule from '@observablehq/plot';
import type { Classification } from '../../lib/train/classify.ts';
import { h, table } from './dom.ts';
import { labelPlotGroups } from './plot.ts';

/** Whether a value is a {@link Classification} from the library's `classify`. */
export function isClassification(value: unknown): value is Classification {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { kind?: unknown }).kind === 'classification' &&
    Array.isArray((value as { probabilities?: unknown }).probabilities)
  );
}

/**
 * Renders a classification: the predicted class (and the true one, when known), a bar chart of the
 * class probabilities, and the same numbers as a table for screen readers and copying.
 */
export function renderClassification(result: Classification, Plot: typeof PlotModule): HTMLElement {
  const { probabilities, predictedName } = result;
  const best = probabilities[result.predicted];
  const verdict =
    result.labelName === undefined
      ? ''
      : result.label === result.predicted
        ? ` · correct (label ${result.labelName})`
        : ` · wrong: the label is ${result.labelName}`;
  const figure = Plot.plot({
    // Narrow enough for a phone, so its labels are drawn at their size rather than scaled down.
    width: 360,
    height: 24 * probabilities.length + 40,
    marginLeft: 96,
    style: { background: 'transparent', color: 'currentColor', fontSize: '12px' },
    x: { label: 'probability', domain: [0, 1], grid: true, percent: false },
    y: { label: null, domain: probabilities.map((p) => p.className) },
    marks: [
      Plot.barX(probabilities, { x: 'probability', y: 'className', fill: 'currentColor', fillOpacity: 0.6 }),
      Plot.ruleX([0]),
    ],
  });
  labelPlotGroups(figure);
  figure.setAttribute('aria-hidden', 'true');
  const details = h('details', {}, h('summary', {}, 'Probabilities as a table'));
  details.append(
    table(
      'Class probabilities',
      ['Class', 'Probability'],
      probabilities.map((p) => [p.className, percent(p.probability)]),
      [false, true],
    ),
  );
  return h(
    'div',
    { class: 'prediction-view' },
    h(
      'p',
      { class: 'prediction-head' },
      h('strong', {}, `Predicted: ${predictedName}`),
      ` (${percent(best.probability)})${verdict}`,
    ),
    figure,
    details,
  );
}
