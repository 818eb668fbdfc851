import type * as TF from '@tensorflow/tfjs';
import { formatNumber, formatShape, h } from './dom.ts';

const previewCount = 24;

/**
 * Renders a tensor: dtype, shape (with PyTorch's order for 4-D image tensors), the first values and
 * min/max/mean. Reads with `await data()`: `dataSync` is slow on WebGPU and would block the page.
 */
export async function renderTensor(tensor: TF.Tensor, tf: typeof TF): Promise<HTMLElement> {
  const view = h('div', { class: 'tensor-view' });
  if (tensor.isDisposed) {
    view.append(h('p', {}, `Tensor ${formatShape(tensor.shape)} (disposed)`));
    return view;
  }
  const torch =
    tensor.rank === 4 ? ` · PyTorch order [${[0, 3, 1, 2].map((i) => tensor.shape[i]).join(', ')}]` : '';
  view.append(
    h(
      'p',
      { class: 'tensor-head' },
      h('strong', {}, 'Tensor'),
      ` ${tensor.dtype} ${formatShape(tensor.shape)}${torch} · ${tensor.size.toLocaleString('en-US')} values`,
    ),
  );
  if (tensor.size === 0 || tensor.dtype === 'string' || tensor.dtype === 'complex64') return view;
  // The preview and statistics are tiny tensors made and freed here, never kept by the cell.
  const [head, stats] = tf.tidy(() => {
    const flat = tensor.flatten().toFloat();
    return [
      flat.slice(0, Math.min(previewCount, tensor.size)),
      tf.stack([flat.min(), flat.max(), flat.mean()]),
    ];
  });
  const [values, [min, max, mean]] = await Promise.all([head.data(), stats.data()]);
  tf.dispose([head, stats]);
  const shown = Array.from(values, formatNumber).join(', ');
  view.append(
    h('p', { class: 'tensor-values' }, `[${shown}${tensor.size > previewCount ? ', …' : ''}]`),
    h(
      'p',
      { class: 'tensor-stats' },
      `min ${formatNumber(min)} · max ${formatNumber(max)} · mean ${formatNumber(mean)}`,
    ),
  );
  return view;
}
