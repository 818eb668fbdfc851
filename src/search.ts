/** One search hit, ready to show. */
export interface SearchResult {
  url: string;
  title: string;
  /** HTML excerpt with `<mark>` around the matched words. */
  excerpt: string;
}

interface PagefindModule {
  options(options: { baseUrl: string }): Promise<void>;
  search(query: string): Promise<{
    results: {
      data(): Promise<{ url: string; meta: { title?: string }; excerpt: string; content: string }>;
    }[];
  }>;
}

let pagefind: Promise<PagefindModule> | undefined;

/**
 * Searches the lessons with the Pagefind index that `npm run build` writes to `dist/pagefind/`
 * (static files only: works on any host). The index is loaded on the first search.
 */
/**
 * The words of a query worth searching for: two letters or more (a single letter matches nearly every
 * page). Empty when the query has none.
 */
export function searchTerms(query: string): string[] {
  return query
    .toLowerCase()
    .split(/[^\p{L}\p{N}_-]+/u)
    .filter((term) => term.length >= 2);
}

/**
 * Whether a page's text really has every term: a word that starts with the term's first letters (three,
 * or all of a shorter term, so that "blocks" finds "block" and Pagefind's stems still match). Pagefind
 * shortens a term that matches nothing until it matches something, so "xqzvw" would otherwise find
 * every page with a word starting with x.
 */
export function mentionsEvery(text: string, terms: readonly string[]): boolean {
  const lower = text.toLowerCase();
  return terms.every((term) => {
    const prefix = term.slice(0, 3).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return new RegExp(`(^|[^\\p{L}\\p{N}])${prefix}`, 'u').test(lower);
  });
}

export async function searchLessons(query: string, base: string, limit = 10): Promise<SearchResult[]> {
  const terms = searchTerms(query);
  if (terms.length === 0) return [];
  pagefind ??= (async () => {
    const url = `${base.endsWith('/') ? base : `${base}/`}pagefind/pagefind.js`;
    const module = (await import(/* @vite-ignore */ url)) as PagefindModule;
    await module.options({ baseUrl: base });
    return module;
  })();
  const found = await (await pagefind).search(terms.join(' '));
  const pages = (await Promise.all(found.results.slice(0, 3 * limit).map((result) => result.data())))
    .filter((page) => mentionsEvery(page.content, terms))
    .slice(0, limit);
  return pages.map((page) => ({ url: page.url, title: page.meta.title ?? page.url, excerpt: page.excerpt }));
}
