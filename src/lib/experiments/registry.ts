import { activationVariants } from './activationVariants.ts';
import { basicVsBottleneck } from './basicVsBottleneck.ts';
import { originalVsPreactivation } from './originalVsPreactivation.ts';
import { plainVsResidual } from './plainVsResidual.ts';
import { shortcutVariants } from './shortcutVariants.ts';
import { vggBlocks } from './vggBlocks.ts';

/** Every experiment the lessons run, in lesson order. */
export const EXPERIMENTS = [
  vggBlocks,
  plainVsResidual,
  basicVsBottleneck,
  originalVsPreactivation,
  shortcutVariants,
  activationVariants,
] as const;

/** An experiment's name. */
export type ExperimentName = (typeof EXPERIMENTS)[number]['name'];

/** Any of the experiments. */
export type AnyExperiment = (typeof EXPERIMENTS)[number];

/** The experiment of a name, with its own model sizes in its budgets. */
export type ExperimentOf<N extends ExperimentName> = Extract<AnyExperiment, { name: N }>;

/** Every experiment name, in lesson order. */
export const EXPERIMENT_NAMES: readonly ExperimentName[] = EXPERIMENTS.map((e) => e.name);

/** Returns an experiment by name; throws `invalid experiment: "x" (expected one of …)`. */
export function getExperiment<N extends ExperimentName>(name: N): ExperimentOf<N>;
export function getExperiment(name: string): AnyExperiment;
export function getExperiment(name: string): AnyExperiment {
  const experiment = EXPERIMENTS.find((e) => e.name === name);
  if (!experiment) {
    throw new Error(
      `invalid experiment: ${JSON.stringify(name)} (expected one of ${EXPERIMENT_NAMES.join(', ')})`,
    );
  }
  return experiment;
}
