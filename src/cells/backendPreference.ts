import { isBackendPreference, type BackendPreference } from '../lib/backendNames.ts';
import type { KeyValueStorage } from './storage.ts';

const key = 'reslab:backend';

/**
 * The backend the page asks for: `?backend=…` in the URL when it names one (tests and links rely on
 * it), else the reader's remembered choice, else `auto`.
 */
export function readBackendPreference(search: string, storage: KeyValueStorage): BackendPreference {
  const fromUrl = new URLSearchParams(search).get('backend');
  if (isBackendPreference(fromUrl)) return fromUrl;
  try {
    const saved = storage.getItem(key);
    return isBackendPreference(saved) ? saved : 'auto';
  } catch {
    return 'auto';
  }
}

/** Remembers the reader's backend choice for every lesson. */
export function saveBackendPreference(storage: KeyValueStorage, preference: BackendPreference): void {
  try {
    storage.setItem(key, preference);
  } catch {
    // Not remembered across pages; the choice still applies to this page.
  }
}
