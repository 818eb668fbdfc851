import * as tf from '@tensorflow/tfjs';
import type { Architecture } from './architecture.ts';

/** One tensor of a PyTorch state_dict, row-major. */
export interface StateTensor {
  dtype: 'F32' | 'I64';
  shape: number[];
  data: Float32Array | BigInt64Array;
}

// TF.js weight name endings → PyTorch parameter and buffer names.
const BN_NAMES: Record<string, string> = {
  gamma: 'weight',
  beta: 'bias',
  moving_mean: 'running_mean',
  moving_variance: 'running_var',
};

/**
 * Converts a model's current weights to the PyTorch state_dict of its exported module: conv kernels
 * [kh, kw, in, out] → [out, in, kh, kw]; dense kernels [in, out] → [out, in], with the input features
 * of a dense layer after a Flatten reordered from TF's (h, w, c) to PyTorch's (c, h, w); BN γ, β and
 * moving statistics → weight, bias, running_mean, running_var, plus `num_batches_tracked` = 0.
 */
export async function exportStateDict(
  model: tf.LayersModel,
  architecture: Architecture,
): Promise<Map<string, StateTensor>> {
  const state = new Map<string, StateTensor>();
  const flattened = new Map<string, number[]>();
  for (const node of architecture.nodes) {
    if (node.kind === 'layer' && node.flattenedFrom) flattened.set(node.path.join('.'), node.flattenedFrom);
  }
  for (const layer of model.layers) {
    const prefix = architecture.pythonNames.get(layer.name);
    if (prefix === undefined) continue;
    const className = layer.getClassName();
    const values = layer.getWeights();
    for (const [i, weight] of layer.weights.entries()) {
      const ending = weight.originalName.slice(weight.originalName.lastIndexOf('/') + 1);
      const value = values[i];
      let name: string;
      let converted: tf.Tensor;
      if (className === 'BatchNormalization') {
        name = BN_NAMES[ending];
        converted = value;
      } else if (ending === 'bias') {
        name = 'bias';
        converted = value;
      } else if (ending === 'kernel' && value.rank === 4) {
        name = 'weight';
        converted = tf.transpose(value, [3, 2, 0, 1]); // [out, in, kh, kw]
      } else if (ending === 'kernel' && value.rank === 2) {
        name = 'weight';
        const from = flattened.get(prefix);
        converted = from ? reorderFlattened(value as tf.Tensor2D, from) : tf.transpose(value); // [out, in]
      } else {
        throw new Error(
          `cannot export weight ${weight.originalName} of layer ${layer.name} (a ${className})`,
        );
      }
      if (name === undefined)
        throw new Error(`cannot export weight ${weight.originalName} (a BN weight PyTorch lacks)`);
      const data = (await converted.data()) as Float32Array;
      state.set(`${prefix}.${name}`, { dtype: 'F32', shape: converted.shape, data: Float32Array.from(data) });
      if (converted !== value) converted.dispose();
    }
    if (className === 'BatchNormalization') {
      state.set(`${prefix}.num_batches_tracked`, { dtype: 'I64', shape: [], data: new BigInt64Array(1) });
    }
  }
  return state;
}

// A TF kernel [h·w·c, out] whose rows run (h, w, c) becomes PyTorch's [out, c·h·w] whose columns run (c, h, w).
function reorderFlattened(kernel: tf.Tensor2D, [h, w, c]: number[]): tf.Tensor {
  return tf.tidy(() => {
    const out = kernel.shape[1];
    return kernel
      .reshape([h, w, c, out])
      .transpose([3, 2, 0, 1])
      .reshape([out, c * h * w]);
  });
}

/**
 * Encodes tensors as a safetensors file (8-byte little-endian header length, JSON header, raw
 * little-endian data), which the exported `weights.py` reads with the standard library and torch alone,
 * and the `safetensors` package reads as well.
 */
export function encodeSafetensors(
  tensors: Map<string, StateTensor>,
  metadata: Record<string, string> = {},
): Uint8Array {
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  for (const [name, t] of tensors) {
    const bytes = t.data.byteLength;
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((8 + new TextEncoder().encode(json).length) % 8)) % 8); // data starts 8-aligned
  const headerBytes = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const t of tensors.values()) {
    if (t.data instanceof Float32Array) {
      for (let i = 0; i < t.data.length; i++) view.setFloat32(at + 4 * i, t.data[i], true);
    } else {
      for (let i = 0; i < t.data.length; i++) view.setBigInt64(at + 8 * i, t.data[i], true);
    }
    at += t.data.byteLength;
  }
  return out;
}

/** Reads a safetensors file written by {@link encodeSafetensors} (F32 and I64 tensors). */
export function decodeSafetensors(bytes: Uint8Array): {
  tensors: Map<string, StateTensor>;
  metadata: Record<string, string>;
} {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 8)
    throw new Error(`invalid safetensors file: ${bytes.length} bytes (expected a header)`);
  const length = Number(view.getBigUint64(0, true));
  if (8 + length > bytes.length) throw new Error('invalid safetensors file: its header runs past its end');
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + length))) as Record<
    string,
    { dtype: string; shape: number[]; data_offsets: [number, number] }
  >;
  const base = 8 + length;
  const tensors = new Map<string, StateTensor>();
  let metadata: Record<string, string> = {};
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') {
      metadata = entry as unknown as Record<string, string>;
      continue;
    }
    const [begin, end] = entry.data_offsets;
    const slice = bytes.slice(base + begin, base + end);
    if (entry.dtype === 'F32') {
      const data = new Float32Array((end - begin) / 4);
      const v = new DataView(slice.buffer);
      for (let i = 0; i < data.length; i++) data[i] = v.getFloat32(4 * i, true);
      tensors.set(name, { dtype: 'F32', shape: entry.shape, data });
    } else if (entry.dtype === 'I64') {
      const data = new BigInt64Array((end - begin) / 8);
      const v = new DataView(slice.buffer);
      for (let i = 0; i < data.length; i++) data[i] = v.getBigInt64(8 * i, true);
      tensors.set(name, { dtype: 'I64', shape: entry.shape, data });
    } else {
      throw new Error(`invalid safetensors file: ${name} is ${entry.dtype} (expected F32 or I64)`);
    }
  }
  return { tensors, metadata };
}
