import type { ImageFileEntry } from '../../lib/data/imageFolder.ts';

/**
 * A folder picker shown in a cell's output: an element (display it, or make it a cell's last
 * expression) that also holds the reader's choice. Nothing is uploaded: the files stay in the page.
 */
export interface ImagePicker extends HTMLElement {
  /** The files picked or dropped so far, else the fallback (e.g. the example images), else []. */
  readonly entries: ImageFileEntry[];
  /** True once the reader has picked or dropped files. */
  readonly hasChoice: boolean;
  /** Resolves with the reader's files at their first pick or drop. */
  readonly chosen: Promise<ImageFileEntry[]>;
}

/** Options of {@link chooseImages}. */
export interface ChooseImagesOptions {
  /** Files to use until the reader picks some, e.g. `await loadExampleImages()`. Default none. */
  fallback?: ImageFileEntry[];
}

/** Options of {@link loadExampleImages}. */
export interface LoadExampleImagesOptions {
  /** URL of the folder holding `index.json`. Default: the site's `data/example-images/`. */
  baseUrl?: string;
  /** The fetch to use. Default `globalThis.fetch`. */
  fetch?: typeof fetch;
}

/** Turns picked files into entries: the path below the picked folder (`webkitRelativePath`) or the name. */
export function entriesFromFiles(files: Iterable<File>): ImageFileEntry[] {
  return [...files].map((file) => ({ path: file.webkitRelativePath || file.name, data: file }));
}

/** Summarises entries as "60 files in 3 folders (bag, sandal, trouser)". */
export function describeEntries(entries: readonly ImageFileEntry[]): string {
  const folders = new Set(
    entries
      .map((e) =>
        e.path
          .split(/[\\/]+/)
          .filter(Boolean)
          .slice(0, -1)
          .join('/'),
      )
      .filter(Boolean),
  );
  const names = [...folders].map((f) => f.split('/').at(-1)).sort();
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const shown = names.length > 6 ? `${names.slice(0, 6).join(', ')}, …` : names.join(', ');
  return `${plural(entries.length, 'file')} in ${plural(folders.size, 'folder')}${shown ? ` (${shown})` : ''}`;
}

// A dropped folder arrives as a FileSystemEntry tree; read it into files with their relative paths.
async function readDropped(entry: FileSystemEntry, prefix: string): Promise<ImageFileEntry[]> {
  const path = `${prefix}${entry.name}`;
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) =>
      (entry as FileSystemFileEntry).file(resolve, reject),
    );
    return [{ path, data: file }];
  }
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  const children: FileSystemEntry[] = [];
  // readEntries returns the folder in batches (100 in Chromium) until an empty one.
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) =>
      reader.readEntries(resolve, reject),
    );
    if (batch.length === 0) break;
    children.push(...batch);
  }
  const nested = await Promise.all(children.map((child) => readDropped(child, `${path}/`)));
  return nested.flat();
}

async function entriesFromDrop(transfer: DataTransfer): Promise<ImageFileEntry[]> {
  const roots = [...transfer.items]
    .filter((item) => item.kind === 'file')
    .map((item) => item.webkitGetAsEntry?.())
    .filter((entry): entry is FileSystemEntry => Boolean(entry));
  if (roots.length === 0) return entriesFromFiles(transfer.files);
  return (await Promise.all(roots.map((entry) => readDropped(entry, '')))).flat();
}

let pickerCount = 0;

/**
 * Shows a folder picker (a file input that takes a whole folder, plus a drop zone) and returns it at
 * once; its `entries` are the reader's files once picked, else `fallback`. Await `picker.chosen` to
 * wait for the reader instead.
 */
export function chooseImages(options: ChooseImagesOptions = {}): ImagePicker {
  const id = `image-picker-${++pickerCount}`;
  const root = document.createElement('div') as unknown as ImagePicker & HTMLDivElement;
  root.className = 'image-picker';
  root.setAttribute('role', 'group');
  root.setAttribute('aria-labelledby', `${id}-label`);
  Object.assign(root.style, { display: 'grid', gap: '0.5rem', margin: '0.5rem 0' });

  const label = document.createElement('label');
  label.id = `${id}-label`;
  label.htmlFor = `${id}-input`;
  label.textContent = 'Choose a folder of images, one sub-folder per class (nothing is uploaded):';
  const input = document.createElement('input');
  input.id = `${id}-input`;
  input.type = 'file';
  input.multiple = true;
  input.accept = 'image/*';
  input.setAttribute('webkitdirectory', '');

  const zone = document.createElement('div');
  zone.className = 'image-picker-drop';
  zone.textContent = 'Or drop a folder here.';
  Object.assign(zone.style, {
    border: '2px dashed currentColor',
    borderRadius: '0.5rem',
    padding: '1rem',
    textAlign: 'center',
  });

  const status = document.createElement('p');
  status.className = 'image-picker-status'; // announced: the cell's output is already a live region
  status.style.margin = '0';

  let picked: ImageFileEntry[] | null = null;
  let resolveChosen: (entries: ImageFileEntry[]) => void = () => {};
  const chosen = new Promise<ImageFileEntry[]>((resolve) => (resolveChosen = resolve));
  const fallback = options.fallback ?? [];
  status.textContent =
    fallback.length > 0
      ? `No folder chosen yet: the next cells use the example images (${describeEntries(fallback)}).`
      : 'No folder chosen yet.';
  const accept = (entries: ImageFileEntry[]) => {
    if (entries.length === 0) return;
    picked = entries;
    status.textContent = `Chose ${describeEntries(entries)}. Run the next cell to load them.`;
    resolveChosen(entries);
  };

  input.addEventListener('change', () => accept(entriesFromFiles(input.files ?? [])));
  zone.addEventListener('dragover', (event) => {
    event.preventDefault();
    zone.style.borderStyle = 'solid';
  });
  zone.addEventListener('dragleave', () => (zone.style.borderStyle = 'dashed'));
  zone.addEventListener('drop', (event) => {
    event.preventDefault();
    zone.style.borderStyle = 'dashed';
    if (event.dataTransfer)
      entriesFromDrop(event.dataTransfer).then(accept, (error: Error) => {
        status.textContent = `Could not read the dropped files: ${error.message}`;
      });
  });

  root.append(label, input, zone, status);
  Object.defineProperties(root, {
    entries: { get: () => picked ?? fallback },
    hasChoice: { get: () => picked !== null },
    chosen: { value: chosen },
  });
  return root;
}

/** The site's base path as the bundler sees it ("/" or e.g. "/reslab/"). */
const siteBase = (): string => (import.meta as { env?: { BASE_URL?: string } }).env?.BASE_URL ?? '/';

/**
 * Fetches the site's example image folder (`data/example-images/`, written by `reslab examples`): three
 * Fashion-MNIST classes as PNG files, returned as the entries `loadImageFolder` takes.
 */
export async function loadExampleImages(options: LoadExampleImagesOptions = {}): Promise<ImageFileEntry[]> {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const base = new URL(options.baseUrl ?? `${siteBase()}data/example-images/`, globalThis.location?.href)
    .href;
  const folder = base.endsWith('/') ? base : `${base}/`;
  const response = await doFetch(`${folder}index.json`);
  if (!response.ok)
    throw new Error(
      `could not load the example images from ${folder}index.json: HTTP ${response.status} (has \`reslab examples\` been run?)`,
    );
  const index = (await response.json()) as { files?: unknown };
  if (!Array.isArray(index.files) || !index.files.every((f) => typeof f === 'string'))
    throw new Error(`invalid example index at ${folder}index.json: expected { files: string[] }`);
  return Promise.all(
    (index.files as string[]).map(async (file) => {
      const image = await doFetch(new URL(file, folder).href);
      if (!image.ok) throw new Error(`could not load example image ${file}: HTTP ${image.status}`);
      return { path: `example-images/${file}`, data: new Uint8Array(await image.arrayBuffer()) };
    }),
  );
}
