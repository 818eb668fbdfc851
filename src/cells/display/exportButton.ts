import { formatSize, type ExportedZip } from '../pytorchExport.ts';

// The "Export to PyTorch" button, under a model a cell shows and in each experiment's reference
// results (ReferenceResults.astro renders the same markup on the server): it makes the zip on click,
// says so while it works, downloads it, and shows a failure inline under itself.

/** Hands a zip to the reader; tests pass a fake. */
export type Download = (zip: ExportedZip) => void;

/** The text of one export button. */
export interface ExportButtonText {
  /** Names what is exported, for screen readers: `Export to PyTorch: ${what}`. */
  what: string;
  /** What the zip holds, shown beside the button. */
  note: string;
}

/**
 * Downloads a zip as the browser downloads a link: an object URL on an `<a download>`, clicked, then
 * revoked. Revoking at once can cancel the download in some browsers, so it waits (as FileSaver.js does).
 */
export function downloadZip(zip: ExportedZip, doc: Document = document, revokeAfterMs = 40_000): void {
  const url = URL.createObjectURL(new Blob([zip.bytes], { type: 'application/zip' }));
  const link = doc.createElement('a');
  link.href = url;
  link.download = zip.filename;
  link.hidden = true;
  doc.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), revokeAfterMs);
}

/**
 * Wires the export button inside `root` (`[data-export]`, its status `[data-export-status]`): a click
 * runs `make`, with the button disabled and saying so, then downloads the zip, or tells why not.
 */
export function wireExportButton(
  root: HTMLElement,
  make: () => Promise<ExportedZip>,
  download: Download = (zip) => downloadZip(zip),
): void {
  const button = root.querySelector<HTMLButtonElement>('[data-export]')!;
  const status = root.querySelector<HTMLElement>('[data-export-status]')!;
  const label = button.textContent;
  button.disabled = false;
  button.addEventListener('click', async () => {
    if (button.disabled) return;
    const hadFocus = root.ownerDocument.activeElement === button;
    button.disabled = true;
    button.textContent = 'Exporting…';
    status.classList.remove('export-error');
    status.textContent = 'Building the PyTorch package…';
    try {
      const zip = await make();
      download(zip);
      status.textContent = `Downloaded ${zip.filename} (${formatSize(zip.bytes.length)}).`;
    } catch (error) {
      status.classList.add('export-error');
      status.textContent = `Could not export to PyTorch: ${error instanceof Error ? error.message : String(error)}`;
    } finally {
      button.textContent = label;
      button.disabled = false;
      // A disabled button loses focus; a keyboard reader gets it back where they were.
      const active = root.ownerDocument.activeElement;
      if (hadFocus && (active === null || active === root.ownerDocument.body)) button.focus();
    }
  });
}

/** Renders an export button with its note and status line, wired to `make`. */
export function renderExportButton(
  text: ExportButtonText,
  make: () => Promise<ExportedZip>,
  download?: Download,
): HTMLElement {
  const root = document.createElement('div');
  root.className = 'export-pytorch';
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'cell-button export-button';
  button.dataset.export = '';
  button.setAttribute('aria-label', `Export to PyTorch: ${text.what}`);
  button.textContent = 'Export to PyTorch';
  const note = document.createElement('span');
  note.className = 'export-note';
  note.textContent = text.note;
  const status = document.createElement('p');
  status.className = 'export-status';
  status.dataset.exportStatus = '';
  status.setAttribute('role', 'status');
  root.append(button, note, status);
  wireExportButton(root, make, download);
  return root;
}
