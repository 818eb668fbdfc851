// Observable's ten categorical colours, assigned to an experiment's variants in the definition's order, so
// a variant has one colour on every chart of a page: the reference figures and the reader's live run.
const PALETTE = [
  '#4269d0',
  '#efb118',
  '#ff725c',
  '#6cc5b0',
  '#3ca951',
  '#ff8ab7',
  '#a463f2',
  '#97bbf5',
  '#9c6b4e',
  '#9498a0',
];

/** A Plot color scale's domain and range for these variants, one fixed colour each. */
export function variantColors(variants: readonly string[]): { domain: string[]; range: string[] } {
  return { domain: [...variants], range: variants.map((_, i) => PALETTE[i % PALETTE.length]) };
}
