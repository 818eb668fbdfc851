/** Parsed metadata of a fenced code block, e.g. ```` ```ts cell id=train title="Train it" ````. */
export interface FenceMeta {
  /** True when the fence is a runnable notebook cell (the bare word `cell`). */
  isCell: boolean;
  /** Other bare words, in order (e.g. `hidden`). */
  flags: string[];
  /** `key=value` and `key="quoted value"` pairs. */
  attributes: Record<string, string>;
}

const token = /([A-Za-z][\w-]*)(?:=(?:"([^"]*)"|'([^']*)'|(\S+)))?/g;

/** Parses the text after a fence's language into a cell flag, bare flags and key/value attributes. */
export function parseFenceMeta(meta: string | null | undefined): FenceMeta {
  const result: FenceMeta = { isCell: false, flags: [], attributes: {} };
  for (const match of (meta ?? '').matchAll(token)) {
    const [, key, doubleQuoted, singleQuoted, bare] = match;
    const value = doubleQuoted ?? singleQuoted ?? bare;
    if (value !== undefined) result.attributes[key] = value;
    else if (key === 'cell') result.isCell = true;
    else result.flags.push(key);
  }
  return result;
}

const cellId = /^[a-z][a-z0-9-]*$/;

/** Checks a cell id: lower-case letters, digits and hyphens, starting with a letter. */
export function isValidCellId(id: string): boolean {
  return cellId.test(id);
}
