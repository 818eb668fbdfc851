/**
 * Figures reported in the papers the lessons teach, transcribed from `shared/reference/PAPER_NUMBERS.md`
 * (checked against the papers' text). Lessons quote them with their table; `compare()` results can
 * show them beside the reader's own runs. CIFAR figures are test error in %, median of 5 runs.
 */

/** One reported figure and where it comes from. */
export interface PaperFigure {
  /** The variant as the lessons and the model library name it. */
  variant: string;
  /** How the paper describes it. */
  label: string;
  /** Test error in %, or null where the paper reports "fail" (error above 20%). */
  error: number | null;
  /** The paper's remark, e.g. the gate bias initialisation. */
  remark?: string;
}

/** A table of figures from one paper, with enough context to cite it. */
export interface PaperTable {
  source: string;
  table: string;
  setting: string;
  figures: PaperFigure[];
}

/** He et al. 2016, Table 1: shortcut variants of Fig. 2 on ResNet-110, CIFAR-10. */
export const identityMappingsTable1: PaperTable = {
  source: 'He et al. 2016, Identity Mappings in Deep Residual Networks',
  table: 'Table 1',
  setting: 'ResNet-110 on CIFAR-10, test error (%)',
  figures: [
    { variant: 'identity', label: 'original (identity shortcut)', error: 6.61 },
    { variant: 'constantScaling', label: 'constant scaling, 0.5 on shortcut, 1 on F', error: null },
    {
      variant: 'constantScaling',
      label: 'constant scaling, 0.5 on shortcut and F',
      error: 12.35,
      remark: 'frozen gating',
    },
    {
      variant: 'exclusiveGating',
      label: 'exclusive gating, b_g = −6',
      error: 8.7,
      remark: 'fails for b_g = 0 to −5',
    },
    { variant: 'shortcutOnlyGating', label: 'shortcut-only gating, b_g = −6', error: 6.91 },
    { variant: 'shortcutOnlyGating', label: 'shortcut-only gating, b_g = 0', error: 12.86 },
    { variant: 'conv1x1', label: '1×1 conv shortcut', error: 12.22 },
    { variant: 'dropout', label: 'dropout shortcut (0.5)', error: null },
  ],
};

/** He et al. 2016, Table 2: activation placements of Fig. 4 on CIFAR-10 (ResNet-110 column). */
export const identityMappingsTable2: PaperTable = {
  source: 'He et al. 2016, Identity Mappings in Deep Residual Networks',
  table: 'Table 2',
  setting: 'ResNet-110 on CIFAR-10, test error (%)',
  figures: [
    { variant: 'original', label: 'original Residual Unit', error: 6.61 },
    { variant: 'bnAfterAddition', label: 'BN after addition', error: 8.17 },
    { variant: 'reluBeforeAddition', label: 'ReLU before addition', error: 7.84 },
    { variant: 'reluOnlyPreactivation', label: 'ReLU-only pre-activation', error: 6.71 },
    { variant: 'fullPreactivation', label: 'full pre-activation', error: 6.37 },
  ],
};

/** He et al. 2016, Table 2, ResNet-164 (bottleneck) column. */
export const identityMappingsTable2Resnet164: PaperTable = {
  ...identityMappingsTable2,
  setting: 'ResNet-164 on CIFAR-10, test error (%)',
  figures: [
    { variant: 'original', label: 'original Residual Unit', error: 5.93 },
    { variant: 'bnAfterAddition', label: 'BN after addition', error: 6.5 },
    { variant: 'reluBeforeAddition', label: 'ReLU before addition', error: 6.14 },
    { variant: 'reluOnlyPreactivation', label: 'ReLU-only pre-activation', error: 5.91 },
    { variant: 'fullPreactivation', label: 'full pre-activation', error: 5.46 },
  ],
};

/** He et al. 2016, Table 3: original vs pre-activation units on CIFAR-10. */
export const identityMappingsTable3: PaperTable = {
  source: 'He et al. 2016, Identity Mappings in Deep Residual Networks',
  table: 'Table 3',
  setting: 'CIFAR-10, test error (%), original → pre-activation',
  figures: [
    { variant: 'resnet110-1layer', label: 'ResNet-110 (1-layer skip), original', error: 9.9 },
    { variant: 'resnet110-1layer-preact', label: 'ResNet-110 (1-layer skip), pre-activation', error: 8.91 },
    { variant: 'resnet110', label: 'ResNet-110, original', error: 6.61 },
    { variant: 'resnet110-preact', label: 'ResNet-110, pre-activation', error: 6.37 },
    { variant: 'resnet164', label: 'ResNet-164, original', error: 5.93 },
    { variant: 'resnet164-preact', label: 'ResNet-164, pre-activation', error: 5.46 },
    { variant: 'resnet1001', label: 'ResNet-1001, original', error: 7.61 },
    { variant: 'resnet1001-preact', label: 'ResNet-1001, pre-activation', error: 4.92 },
  ],
};

/** He et al. 2015, Table 6: CIFAR-10 ResNets (option A shortcuts) with their parameter counts. */
export const deepResidualTable6: PaperTable = {
  source: 'He et al. 2015, Deep Residual Learning for Image Recognition',
  table: 'Table 6',
  setting: 'CIFAR-10, test error (%)',
  figures: [
    { variant: 'resnet20', label: 'ResNet-20 (0.27M)', error: 8.75 },
    { variant: 'resnet32', label: 'ResNet-32 (0.46M)', error: 7.51 },
    { variant: 'resnet44', label: 'ResNet-44 (0.66M)', error: 7.17 },
    { variant: 'resnet56', label: 'ResNet-56 (0.85M)', error: 6.97 },
    { variant: 'resnet110', label: 'ResNet-110 (1.7M)', error: 6.43, remark: 'best of 5; 6.61±0.16 mean' },
    { variant: 'resnet1202', label: 'ResNet-1202 (19.4M)', error: 7.93 },
  ],
};

/** He et al. 2015, Table 1: multiply-adds (×10⁹) of the ImageNet ResNets at 224×224. */
export const deepResidualTable1Flops: Record<18 | 34 | 50 | 101 | 152, number> = {
  18: 1.8,
  34: 3.6,
  50: 3.8,
  101: 7.6,
  152: 11.3,
};

/** Finds the figures a table reports for one variant (several when the paper varies a setting). */
export function findPaperFigures(table: PaperTable, variant: string): PaperFigure[] {
  return table.figures.filter((figure) => figure.variant === variant);
}
