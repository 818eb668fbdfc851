import * as tf from '@tensorflow/tfjs';

// The wasm backend of TF.js 4.22 runs every op the lessons' models need forward, but two convolution
// gradients are missing or slow: it registers no `Conv2DBackpropFilter` (the gradient with respect to
// the filter), so no convolution trains, and its `Conv2DBackpropInput` is a plain loop that took 40% of a
// ResNet-20 training step (profiled: `npm run bench`). Both are convolutions themselves, so this module
// builds them from the wasm backend's own XNNPACK Conv2D (plus Transpose, Reverse, Pad and Slice): they
// run at XNNPACK's speed, and nothing new is compiled.

/** The kernels this module adds to (or replaces in) the wasm backend. */
export const WASM_TRAINING_KERNELS = ['Conv2DBackpropFilter', 'Conv2DBackpropInput'] as const;

type TensorInfo = tf.TensorInfo;
interface WasmBackend {
  disposeData(dataId: object): boolean;
}
type KernelArgs = {
  inputs: Record<string, TensorInfo>;
  backend: WasmBackend;
  attrs: Record<string, unknown>;
};

function wasmKernel(name: string): (args: KernelArgs) => TensorInfo {
  const config = tf.getKernel(name, 'wasm');
  if (!config) throw new Error(`the wasm backend has no ${name} kernel to build convolution gradients from`);
  return config.kernelFunc as unknown as (args: KernelArgs) => TensorInfo;
}

/**
 * The filter gradient of a stride-s convolution as a convolution itself (TF's conv2d_backprop_filter
 * identity): dW[kh, kw, ci, co] = Σ_{n, oh, ow} x[n, oh·s + kh − top, ow·s + kw − left, ci] · dy[n, oh, ow, co].
 * Read with the batch as the channel axis, that is a convolution of x (as [ci, h, w, n]) with dy (as a
 * filter [oh, ow, n, co]) at stride 1 and dilation s, padded so the output is exactly [ci, kh, kw, co].
 */
function conv2DBackpropFilter({ inputs, backend, attrs }: KernelArgs): TensorInfo {
  const { x, dy } = inputs;
  const filterShape = attrs.filterShape as [number, number, number, number];
  const dataFormat = tf.backend_util.convertConv2DDataFormat((attrs.dataFormat as 'NHWC') ?? 'NHWC');
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    attrs.strides as [number, number],
    1,
    attrs.pad as 'same',
    attrs.dimRoundingMode as 'round' | undefined,
    false,
    dataFormat,
  );
  if (info.dataFormat !== 'channelsLast')
    throw new Error(`invalid dataFormat: "${attrs.dataFormat}" (the wasm backend trains NHWC only)`);
  const [batch, height, width, inChannels] = x.shape;
  const { outHeight, outWidth, strideHeight, strideWidth, filterHeight, filterWidth } = info;
  const { top, left } = info.padInfo;
  // Rows (columns) past the last one any output position reads are cut off; the rest is padded so the
  // dilated "filter" dy slides exactly filterHeight (filterWidth) times.
  const usedHeight = Math.min(height, filterHeight + (outHeight - 1) * strideHeight - top);
  const usedWidth = Math.min(width, filterWidth + (outWidth - 1) * strideWidth - left);
  const bottom = filterHeight + (outHeight - 1) * strideHeight - usedHeight - top;
  const right = filterWidth + (outWidth - 1) * strideWidth - usedWidth - left;

  const made: TensorInfo[] = [];
  const keep = (t: TensorInfo) => (made.push(t), t);
  try {
    const xUsed =
      usedHeight === height && usedWidth === width
        ? x
        : keep(
            wasmKernel('Slice')({
              inputs: { x },
              backend,
              attrs: { begin: [0, 0, 0, 0], size: [batch, usedHeight, usedWidth, inChannels] },
            }),
          );
    const transpose = wasmKernel('Transpose');
    const xByChannel = keep(transpose({ inputs: { x: xUsed }, backend, attrs: { perm: [3, 1, 2, 0] } })); // [ci, h, w, n]
    const dyAsFilter = keep(transpose({ inputs: { x: dy }, backend, attrs: { perm: [1, 2, 0, 3] } })); // [oh, ow, n, co]
    const byChannel = keep(
      wasmKernel('Conv2D')({
        inputs: { x: xByChannel, filter: dyAsFilter },
        backend,
        attrs: {
          strides: [1, 1],
          dilations: [strideHeight, strideWidth],
          pad: [
            [0, 0],
            [top, bottom],
            [left, right],
            [0, 0],
          ],
          dataFormat: 'NHWC',
        },
      }),
    ); // [ci, kh, kw, co]
    return transpose({ inputs: { x: byChannel }, backend, attrs: { perm: [1, 2, 0, 3] } }); // [kh, kw, ci, co]
  } finally {
    for (const t of made) backend.disposeData(t.dataId);
  }
}

/**
 * The input gradient of a convolution (a transposed convolution) as a stride-1 convolution: dy, with
 * stride − 1 zeros between its rows and columns, convolved with the filter turned by 180° and its in and
 * out channels swapped, padded by (kernel − 1 − padding) so the output is exactly the input's shape.
 * dx[n, h, w, ci] = Σ_{kh, kw, co} dy[n, (h + top − kh) / s, (w + left − kw) / s, co] · W[kh, kw, ci, co].
 */
function conv2DBackpropInput({ inputs, backend, attrs }: KernelArgs): TensorInfo {
  const { dy, filter } = inputs;
  const inputShape = attrs.inputShape as [number, number, number, number];
  const dataFormat = tf.backend_util.convertConv2DDataFormat((attrs.dataFormat as 'NHWC') ?? 'NHWC');
  const info = tf.backend_util.computeConv2DInfo(
    inputShape,
    filter.shape as [number, number, number, number],
    attrs.strides as [number, number],
    1,
    attrs.pad as 'same',
    attrs.dimRoundingMode as 'round' | undefined,
    false,
    dataFormat,
  );
  const { top, left } = info.padInfo;
  const { filterHeight, filterWidth, strideHeight, strideWidth, outHeight, outWidth } = info;
  if (info.dataFormat !== 'channelsLast' || top > filterHeight - 1 || left > filterWidth - 1)
    return originalBackpropInput({ inputs, backend, attrs }); // padding wider than the filter: rare, kept exact
  const [batch, height, width] = inputShape;
  const outChannels = dy.shape[3];

  const made: TensorInfo[] = [];
  const keep = (t: TensorInfo) => (made.push(t), t);
  const reshape = (x: TensorInfo, shape: number[]) =>
    keep(wasmKernel('Reshape')({ inputs: { x }, backend, attrs: { shape } }));
  const pad = (x: TensorInfo, paddings: [number, number][]) =>
    keep(wasmKernel('PadV2')({ inputs: { x }, backend, attrs: { paddings, constantValue: 0 } }));
  try {
    // dy with stride − 1 zeros after each row and column: [n, oh·s, ow·s, co].
    let dilated = dy;
    if (strideHeight > 1 || strideWidth > 1) {
      const byColumn = pad(reshape(dy, [batch * outHeight, outWidth, 1, outChannels]), [
        [0, 0],
        [0, 0],
        [0, strideWidth - 1],
        [0, 0],
      ]);
      const byRow = pad(reshape(byColumn, [batch * outHeight, 1, outWidth * strideWidth, outChannels]), [
        [0, 0],
        [0, strideHeight - 1],
        [0, 0],
        [0, 0],
      ]);
      dilated = reshape(byRow, [batch, outHeight * strideHeight, outWidth * strideWidth, outChannels]);
    }
    // Padding that makes the output height (width) exactly the input's; the dilation's trailing zero rows
    // are cut where that padding would be negative.
    let bottom = height - dilated.shape[1] + top;
    let right = width - dilated.shape[2] + left;
    if (bottom < 0 || right < 0) {
      dilated = keep(
        wasmKernel('Slice')({
          inputs: { x: dilated },
          backend,
          attrs: {
            begin: [0, 0, 0, 0],
            size: [
              batch,
              dilated.shape[1] + Math.min(bottom, 0),
              dilated.shape[2] + Math.min(right, 0),
              outChannels,
            ],
          },
        }),
      );
      bottom = Math.max(bottom, 0);
      right = Math.max(right, 0);
    }
    const turned = keep(wasmKernel('Reverse')({ inputs: { x: filter }, backend, attrs: { dims: [0, 1] } }));
    const swapped = keep(
      wasmKernel('Transpose')({ inputs: { x: turned }, backend, attrs: { perm: [0, 1, 3, 2] } }),
    ); // [kh, kw, co, ci]
    return wasmKernel('Conv2D')({
      inputs: { x: dilated, filter: swapped },
      backend,
      attrs: {
        strides: [1, 1],
        dilations: [1, 1],
        pad: [
          [0, 0],
          [filterHeight - 1 - top, bottom],
          [filterWidth - 1 - left, right],
          [0, 0],
        ],
        dataFormat: 'NHWC',
      },
    }); // [n, h, w, ci]
  } finally {
    for (const t of made) backend.disposeData(t.dataId);
  }
}

// The wasm backend's own Conv2DBackpropInput, kept for the cases the composition above does not cover.
let original: tf.KernelConfig | null = null;
let originalReady = false;
function originalBackpropInput(args: KernelArgs): TensorInfo {
  if (!original) throw new Error('the wasm backend has no Conv2DBackpropInput kernel');
  if (!originalReady) original.setupFunc?.(args.backend as unknown as tf.KernelBackend);
  originalReady = true;
  return original.kernelFunc(args as unknown as Parameters<tf.KernelFunc>[0]) as TensorInfo;
}

/**
 * Registers the wasm kernels training needs (see {@link WASM_TRAINING_KERNELS}), replacing the
 * backend's slow Conv2DBackpropInput. Safe to call more than once; it needs the wasm backend's package
 * to be loaded first, and must run before the backend starts (its kernels are set up then).
 */
export function registerWasmTrainingKernels(): void {
  if (tf.getKernel('Conv2DBackpropFilter', 'wasm')) return;
  tf.registerKernel({
    kernelName: 'Conv2DBackpropFilter',
    backendName: 'wasm',
    kernelFunc: conv2DBackpropFilter as unknown as tf.KernelFunc,
  });
  original = tf.getKernel('Conv2DBackpropInput', 'wasm') ?? null;
  if (original) tf.unregisterKernel('Conv2DBackpropInput', 'wasm');
  tf.registerKernel({
    kernelName: 'Conv2DBackpropInput',
    backendName: 'wasm',
    kernelFunc: conv2DBackpropInput as unknown as tf.KernelFunc,
  });
}
