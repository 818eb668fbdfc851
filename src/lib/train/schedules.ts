import { z } from 'zod';

/**
 * A learning-rate schedule, as a function of the step. `step` divides the rate by `factor` at each
 * listed epoch boundary (He et al. 2016 divide by 10 at 32k and 48k iterations); `warmup` runs at
 * `warmupRate` for the first `warmupSteps` steps (ResNet-110's 0.01 for ~400 iterations), then follows
 * `then`.
 */
export type Schedule =
  | { kind: 'constant' }
  | { kind: 'step'; epochs: number[]; factor?: number }
  | { kind: 'warmup'; warmupSteps: number; warmupRate?: number; linear?: boolean; then?: Schedule };

const nonNegativeInt = z
  .number()
  .int({ error: 'a non-negative integer' })
  .nonnegative({ error: 'a non-negative integer' });

/** The zod schema of {@link Schedule}. */
export const scheduleSchema: z.ZodType<Schedule, Schedule> = z.lazy(() =>
  z.discriminatedUnion(
    'kind',
    [
      z.object({ kind: z.literal('constant') }).strict(),
      z
        .object({
          kind: z.literal('step'),
          epochs: z.array(z.number().int().positive(), { error: 'an array of epoch numbers' }),
          factor: z.number().positive({ error: 'a positive number' }).optional(),
        })
        .strict(),
      z
        .object({
          kind: z.literal('warmup'),
          warmupSteps: nonNegativeInt,
          warmupRate: z.number().positive({ error: 'a positive number' }).optional(),
          linear: z.boolean().optional(),
          then: scheduleSchema.optional(),
        })
        .strict(),
    ],
    { error: 'a schedule: { kind: "constant" | "step" | "warmup", … }' },
  ),
);

/** Where the run is: the 0-based step and the steps per epoch. */
export interface ScheduleTime {
  step: number;
  stepsPerEpoch: number;
}

/** Returns the learning rate at a step: `baseRate` shaped by the schedule. */
export function learningRateAt(schedule: Schedule, baseRate: number, time: ScheduleTime): number {
  switch (schedule.kind) {
    case 'constant':
      return baseRate;
    case 'step': {
      const epoch = Math.floor(time.step / time.stepsPerEpoch); // 0-based epoch of this step
      const drops = schedule.epochs.filter((boundary) => epoch >= boundary).length;
      return baseRate / (schedule.factor ?? 10) ** drops;
    }
    case 'warmup': {
      if (time.step < schedule.warmupSteps) {
        if (schedule.linear) return (baseRate * (time.step + 1)) / schedule.warmupSteps;
        return schedule.warmupRate ?? baseRate / 10;
      }
      return learningRateAt(schedule.then ?? { kind: 'constant' }, baseRate, time);
    }
  }
}
