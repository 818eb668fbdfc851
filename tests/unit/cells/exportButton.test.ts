// The "Export to PyTorch" button in linkedom's DOM: it says it works while the zip is made, downloads
// it, shows a failure under itself and leaves the rest of the view alone; a model's view has one only
// when the runtime gives it an exporter.
import * as tf from '@tensorflow/tfjs';
import { parseHTML } from 'linkedom';
import { afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import * as lib from '../../../src/lib/index.ts';
import { downloadZip, renderExportButton } from '../../../src/cells/display/exportButton.ts';
import { renderModel } from '../../../src/cells/display/model.ts';
import type { ExportedZip } from '../../../src/cells/pytorchExport.ts';

beforeAll(async () => {
  const { document, window } = parseHTML('<!doctype html><html><body></body></html>');
  const { Element, Node, HTMLElement } = window;
  Object.assign(globalThis, { document, window, Element, Node, HTMLElement });
  await tf.setBackend('cpu');
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

const zip: ExportedZip = { filename: 'net-pytorch.zip', bytes: new Uint8Array(2048) };
const text = { what: 'net', note: 'model.py, its current weights and train.py, as a zip' };

/** A promise and the functions that settle it, so a test can look at the button mid-export. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function setUp() {
  const pending = deferred<ExportedZip>();
  const downloads: ExportedZip[] = [];
  const view = renderExportButton(
    text,
    () => pending.promise,
    (z) => downloads.push(z),
  );
  document.body.replaceChildren(view);
  const button = view.querySelector('button')!;
  const status = view.querySelector('[data-export-status]')!;
  return { view, button, status, pending, downloads };
}

describe('the export button', () => {
  test('names what it exports, and starts with an empty status line that is a live region', () => {
    const { button, status, view } = setUp();
    expect(button.getAttribute('aria-label')).toBe('Export to PyTorch: net');
    expect(button.textContent).toBe('Export to PyTorch');
    expect(button.disabled).toBe(false);
    expect(status.getAttribute('role')).toBe('status');
    expect(status.textContent).toBe('');
    expect(view.querySelector('.export-note')!.textContent).toBe(text.note);
  });

  test('is disabled and says so while it works, then downloads the zip and says what it was', async () => {
    const { button, status, pending, downloads } = setUp();
    button.click();
    expect(button.disabled).toBe(true);
    expect(button.textContent).toBe('Exporting…');
    expect(status.textContent).toBe('Building the PyTorch package…');
    button.click(); // a second click while it works does nothing
    pending.resolve(zip);
    await settle();
    expect(downloads).toEqual([zip]);
    expect(status.textContent).toBe('Downloaded net-pytorch.zip (2.0 KB).');
    expect(status.classList.contains('export-error')).toBe(false);
    expect(button.disabled).toBe(false);
    expect(button.textContent).toBe('Export to PyTorch');
  });

  test('shows a failure inline, downloads nothing and leaves the rest as it was', async () => {
    const { view, button, status, pending, downloads } = setUp();
    const before = view.querySelector('.export-note')!.outerHTML + button.outerHTML;
    button.click();
    pending.reject(new Error('cannot export layer "x" (a Conv1D): the exporter knows the library\'s blocks'));
    await settle();
    expect(downloads).toEqual([]);
    expect(status.classList.contains('export-error')).toBe(true);
    expect(status.textContent).toBe(
      'Could not export to PyTorch: cannot export layer "x" (a Conv1D): the exporter knows the library\'s blocks',
    );
    expect(view.querySelector('.export-note')!.outerHTML + button.outerHTML).toBe(before);
    expect(view.children.length).toBe(3);
  });

  test('a retry after a failure clears the error', async () => {
    let attempt = 0;
    const view = renderExportButton(
      text,
      async () => {
        if (attempt++ === 0) throw new Error('offline');
        return zip;
      },
      () => {},
    );
    const button = view.querySelector('button')!;
    const status = view.querySelector('[data-export-status]')!;
    button.click();
    await settle();
    expect(status.textContent).toBe('Could not export to PyTorch: offline');
    button.click();
    await settle();
    expect(status.classList.contains('export-error')).toBe(false);
    expect(status.textContent).toBe('Downloaded net-pytorch.zip (2.0 KB).');
  });
});

describe('downloadZip', () => {
  test('clicks an <a download> on an object URL of the zip, removes it, and revokes the URL later', async () => {
    vi.useFakeTimers();
    const created: Blob[] = [];
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      created.push(blob as Blob);
      return 'blob:reslab/1';
    });
    const revoke = vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {});
    const clicked: { href: string; download: string }[] = [];
    document.addEventListener('click', (event) => {
      const link = event.target as HTMLAnchorElement;
      clicked.push({ href: link.getAttribute('href')!, download: link.getAttribute('download')! });
    });
    downloadZip(zip, document, 1000);
    expect(clicked).toEqual([{ href: 'blob:reslab/1', download: 'net-pytorch.zip' }]);
    expect(document.querySelector('a')).toBeNull();
    expect(created[0].type).toBe('application/zip');
    expect(new Uint8Array(await created[0].arrayBuffer())).toEqual(zip.bytes);
    expect(revoke).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1000);
    expect(revoke).toHaveBeenCalledWith('blob:reslab/1');
  });
});

describe('a model view', () => {
  test('has an export button only when the runtime gives an exporter, which gets the model itself', async () => {
    const model = lib.buildModel('cifar-resnet20', { inputShape: [8, 8, 1], classes: 3, width: 0.25 });
    expect(renderModel(model, lib.traceModel).querySelector('.export-pytorch')).toBeNull();
    const asked: tf.LayersModel[] = [];
    const view = renderModel(model, lib.traceModel, async (m) => {
      asked.push(m);
      return zip;
    });
    const button = view.querySelector<HTMLButtonElement>('.export-pytorch button')!;
    expect(button.getAttribute('aria-label')).toBe(`Export to PyTorch: ${model.name}`);
    expect(view.querySelector('table')).not.toBeNull(); // the trace is still there, above the button
    button.click();
    await settle();
    expect(asked).toEqual([model]);
    model.dispose();
  });
});
