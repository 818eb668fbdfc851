import type { LoadProgress } from '../../lib/data/fashionMnist.ts';
import { formatBytes, h } from './dom.ts';

/**
 * Shows a labelled `<progress>` bar with a text line in `output` and returns the callback to pass as a
 * loader's `onProgress`. The text says what is loading and how much has arrived; when everything has
 * arrived it says so once, in a polite live region (not on every chunk, which would flood a screen reader).
 */
export function renderProgress(label: string, output: HTMLElement): (progress: LoadProgress) => void {
  const bar = h('progress', { class: 'load-progress', 'aria-label': label });
  const text = h('span', { class: 'load-progress-text' }, `${label}…`);
  const announce = h('span', { class: 'visually-hidden', 'aria-live': 'polite' });
  output.append(h('div', { class: 'load-view' }, bar, ' ', text, announce));
  let finished = false;
  return ({ loaded, total }) => {
    if (total > 0) {
      bar.max = total;
      bar.value = Math.min(loaded, total);
    }
    const amount = total > 0 ? `${formatBytes(loaded)} of ${formatBytes(total)}` : formatBytes(loaded);
    if (total > 0 && loaded >= total) {
      text.textContent = `${label}: done (${formatBytes(total)}).`;
      if (!finished) announce.textContent = text.textContent;
      finished = true;
    } else {
      text.textContent = `${label}: ${amount}`;
    }
  };
}
