import { createRandom, deriveSeed } from '../data/random.ts';

/**
 * Replaces `Math.random` with a seeded stream for one run and returns how to put the original back.
 * TF.js draws the masks of unseeded dropout (VGG's classifier, the dropout shortcut) from a generator
 * seeded by `Math.random()`; seeding it per run (from the run's seed and variant, not from what ran
 * before) makes those runs reproducible too, in a resumed invocation as in a fresh one.
 */
export function seedMathRandom(seed: number, variant: string): () => void {
  const original = Math.random;
  const random = createRandom(deriveSeed(seed, 'Math.random', variant));
  Math.random = () => random.next();
  return () => {
    Math.random = original;
  };
}
