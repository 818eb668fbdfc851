import * as tf from '@tensorflow/tfjs';
import '../models/index.ts'; // registers the custom layers (Scale, GateCombine, …) so saved models load back

/** The IndexedDB key prefix of models saved by {@link saveModel}. */
export const SAVED_MODEL_PREFIX = 'indexeddb://reslab-';

function keyOf(name: string): string {
  if (!/^[\w.-]{1,100}$/.test(name))
    throw new Error(`invalid model name: ${JSON.stringify(name)} (expected letters, digits, _ . - only)`);
  return `${SAVED_MODEL_PREFIX}${name}`;
}

/** Saves a model (topology and weights) in this browser's IndexedDB under `name`; returns what was saved. */
export async function saveModel(model: tf.LayersModel, name: string): Promise<tf.io.SaveResult> {
  return model.save(keyOf(name));
}

/** Loads a model saved by {@link saveModel}; custom layers of the library are registered. */
export async function loadModel(name: string): Promise<tf.LayersModel> {
  return tf.loadLayersModel(keyOf(name));
}

/** Lists the names of models saved by {@link saveModel}, with their save dates. */
export async function listSavedModels(): Promise<{ name: string; savedAt: Date }[]> {
  const models = await tf.io.listModels();
  return Object.entries(models)
    .filter(([key]) => key.startsWith(SAVED_MODEL_PREFIX))
    .map(([key, info]) => ({
      name: key.slice(SAVED_MODEL_PREFIX.length),
      savedAt: new Date(info.dateSaved),
    }));
}

/** Removes a model saved by {@link saveModel}. */
export async function removeSavedModel(name: string): Promise<void> {
  await tf.io.removeModel(keyOf(name));
}

/**
 * Downloads a model as TF.js files (`<name>.json` with the topology and weights manifest, and
 * `<name>.weights.bin`), which `loadModelFromFiles` or `tf.loadLayersModel` read back.
 */
export async function downloadModel(model: tf.LayersModel, name: string): Promise<tf.io.SaveResult> {
  keyOf(name);
  return model.save(`downloads://${name}`);
}

/** Loads a model from the files a reader picked: the `.json` file and its `.weights.bin` file(s). */
export async function loadModelFromFiles(files: readonly File[]): Promise<tf.LayersModel> {
  const json = files.find((f) => f.name.endsWith('.json'));
  if (!json)
    throw new Error(
      `invalid model files: ${files.map((f) => f.name).join(', ')} (expected a .json file and its .bin weights)`,
    );
  const weights = files.filter((f) => f !== json);
  return tf.loadLayersModel(tf.io.browserFiles([json, ...weights]));
}
