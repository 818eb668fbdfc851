import * as tf from '@tensorflow/tfjs';

// The wasm backend of TF.js 4.22 can run every op the lessons' models need forward, and most of their
// gradients, but registers no `Conv2DBackpropFilter`: the gradient of a convolution with respect to its
// filter. Without it no convolution trains. This module builds that kernel from the wasm backend's own
// Conv2D, Transpose and Slice kernels, so it runs at XNNPACK's speed with nothing new compiled.

/** The kernels this module adds to the wasm backend (every other kernel training needs is built in). */
export const WASM_TRAINING_KERNELS = ['Conv2DBackpropFilter'] as const;

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
  if (!config) throw new Error(`the wasm backend has no ${name} kernel to build Conv2DBackpropFilter from`);
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
 * Registers the kernels training needs that the wasm backend lacks (see {@link WASM_TRAINING_KERNELS}).
 * Safe to call more than once; it needs the wasm backend's package to be loaded first.
 */
export function registerWasmTrainingKernels(): void {
  if (tf.getKernel('Conv2DBackpropFilter', 'wasm')) return;
  tf.registerKernel({
    kernelName: 'Conv2DBackpropFilter',
    backendName: 'wasm',
    kernelFunc: conv2DBackpropFilter as unknown as tf.KernelFunc,
  });
}
