/** Activation placements of He et al. 2016, Fig. 4 / Table 2. */
export const ACTIVATION_VARIANTS = [
  'original',
  'bnAfterAddition',
  'reluBeforeAddition',
  'reluOnlyPreactivation',
  'fullPreactivation',
] as const;
/** One of {@link ACTIVATION_VARIANTS}. */
export type ActivationVariant = (typeof ACTIVATION_VARIANTS)[number];

/** Where BN and ReLU sit around one weight layer of the residual branch, and after the addition. */
export interface ActivationPlacement {
  /** BN before the conv (pre-activation). */
  bnBefore: boolean;
  /** ReLU before the conv (pre-activation). */
  reluBefore: boolean;
  /** BN after the conv (last conv of the branch: see `lastBnAfter`). */
  bnAfter: boolean;
  /** ReLU after the conv's BN, for all but the last conv. */
  reluAfter: boolean;
  /** BN after the last conv of the branch. */
  lastBnAfter: boolean;
  /** ReLU after the last conv of the branch, before the addition. */
  lastReluAfter: boolean;
  /** BN after the addition. */
  bnAfterAdd: boolean;
  /** ReLU after the addition. */
  reluAfterAdd: boolean;
  /** The unit is pre-activated: a shape-changing unit shares its activation with the shortcut. */
  isPreactivation: boolean;
}

/**
 * Describes a Fig. 4 variant as data:
 * (a) original: conv-BN-ReLU-conv-BN, add, ReLU; (b) BN after addition: conv-BN-ReLU-conv, add, BN,
 * ReLU; (c) ReLU before addition: conv-BN-ReLU-conv-BN-ReLU, add; (d) ReLU-only pre-activation:
 * ReLU-conv-BN-ReLU-conv-BN, add; (e) full pre-activation: BN-ReLU-conv-BN-ReLU-conv, add.
 */
export function placementOf(variant: ActivationVariant): ActivationPlacement {
  const none = {
    bnBefore: false,
    reluBefore: false,
    bnAfter: false,
    reluAfter: false,
    lastBnAfter: false,
    lastReluAfter: false,
    bnAfterAdd: false,
    reluAfterAdd: false,
    isPreactivation: false,
  };
  switch (variant) {
    case 'original':
      return { ...none, bnAfter: true, reluAfter: true, lastBnAfter: true, reluAfterAdd: true };
    case 'bnAfterAddition':
      return { ...none, bnAfter: true, reluAfter: true, bnAfterAdd: true, reluAfterAdd: true };
    case 'reluBeforeAddition':
      return { ...none, bnAfter: true, reluAfter: true, lastBnAfter: true, lastReluAfter: true };
    case 'reluOnlyPreactivation':
      return { ...none, reluBefore: true, bnAfter: true, lastBnAfter: true, isPreactivation: true };
    case 'fullPreactivation':
      return { ...none, bnBefore: true, reluBefore: true, isPreactivation: true };
  }
}
