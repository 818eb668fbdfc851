import { formatNumber, h } from './dom.ts';

const maxEntries = 100;

function summary(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return formatNumber(value);
    case 'bigint':
      return `${value}n`;
    case 'function':
      return `ƒ ${value.name || 'anonymous'}()`;
    case 'symbol':
      return value.toString();
    case 'boolean':
      return String(value);
  }
  if (Array.isArray(value)) return `Array(${value.length})`;
  if (ArrayBuffer.isView(value))
    return `${value.constructor.name}(${(value as unknown as ArrayLike<unknown>).length ?? value.byteLength})`;
  if (value instanceof Map) return `Map(${value.size})`;
  if (value instanceof Set) return `Set(${value.size})`;
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  if (value instanceof RegExp) return value.toString();
  return describeObject(value as object);
}

/**
 * Names an object by what it is, never by its constructor's name alone: the site's build minifies
 * TF.js and the library, so a tensor's class is called `la` there. Tensors, models and layers (and
 * every TF.js serialisable, such as optimisers) say what they are; generators, promises and other
 * built-ins have a `Symbol.toStringTag`; a class the reader wrote keeps its name.
 */
function describeObject(value: object): string {
  const v = value as {
    shape?: unknown;
    dtype?: unknown;
    dataSync?: unknown;
    layers?: unknown;
    predict?: unknown;
    name?: unknown;
    getClassName?: unknown;
  };
  if (Array.isArray(v.shape) && typeof v.dtype === 'string' && typeof v.dataSync === 'function')
    return `Tensor ${v.dtype} [${(v.shape as unknown[]).join(', ')}]`;
  if (Array.isArray(v.layers) && typeof v.predict === 'function')
    return `Model ${JSON.stringify(String(v.name ?? ''))} (${v.layers.length} layers)`;
  if (typeof v.getClassName === 'function') {
    const kind = String((v.getClassName as () => string).call(value));
    return typeof v.name === 'string' ? `${kind} ${JSON.stringify(v.name)}` : kind;
  }
  const tag = Object.prototype.toString.call(value).slice(8, -1);
  if (tag !== 'Object') return tag;
  const prototype = Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null;
  if (prototype === null || prototype === Object.prototype) return 'Object';
  return prototype.constructor?.name || 'Object';
}

function entriesOf(value: object): [string, unknown][] {
  if (value instanceof Map) return [...value.entries()].map(([k, v]) => [summary(k), v]);
  if (value instanceof Set) return [...value.values()].map((v, i) => [String(i), v]);
  if (ArrayBuffer.isView(value))
    return Array.from(value as unknown as ArrayLike<unknown>, (v, i) => [String(i), v]);
  return Object.entries(value);
}

/**
 * Renders any value as a collapsible inspector: primitives inline, arrays and objects as `<details>`
 * whose children are built only when opened (large structures cost nothing until looked at).
 */
export function inspect(value: unknown, open = true): HTMLElement {
  if (value === null || typeof value !== 'object' || value instanceof Date || value instanceof Error) {
    return h('span', { class: `inspect inspect-${value === null ? 'null' : typeof value}` }, summary(value));
  }
  // Short arrays of numbers and strings (shapes, say) read best inline: [1, 48, 48, 64].
  if (
    Array.isArray(value) &&
    value.length <= 20 &&
    value.every((item) => item === null || typeof item !== 'object')
  ) {
    return h('span', { class: 'inspect inspect-array' }, `[${value.map(summary).join(', ')}]`);
  }
  const details = h('details', { class: 'inspect' }, h('summary', {}, summary(value)));
  const fill = () => {
    if (details.dataset.filled) return;
    details.dataset.filled = 'true';
    const entries = entriesOf(value);
    const list = h('dl', {});
    for (const [key, child] of entries.slice(0, maxEntries))
      list.append(h('dt', {}, key), h('dd', {}, inspect(child, false)));
    if (entries.length > maxEntries)
      list.append(h('dt', {}, '…'), h('dd', {}, `${entries.length - maxEntries} more`));
    details.append(list);
  };
  details.addEventListener('toggle', fill);
  if (open && entriesOf(value).length <= 20) {
    details.open = true;
    fill();
  }
  return details;
}
