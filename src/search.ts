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
    results: { data(): Promise<{ url: string; meta: { title?: string }; excerpt: string }> }[];
  }>;
}

let pagefind: Promise<PagefindModule> | undefined;

/**
 * Searches the lessons with the Pagefind index that `npm run build` writes to `dist/pagefind/`
 * (static files only: works on any host). The index is loaded on the first search.
 */
export async function searchLessons(query: string, base: string, limit = 10): Promise<SearchResult[]> {
  pagefind ??= (async () => {
    const url = `${base.endsWith('/') ? base : `${base}/`}pagefind/pagefind.js`;
    const module = (await import(/* @vite-ignore */ url)) as PagefindModule;
    await module.options({ baseUrl: base });
    return module;
  })();
  const found = await (await pagefind).search(query);
  const pages = await Promise.all(found.results.slice(0, limit).map((result) => result.data()));
  return pages.map((page) => ({ url: page.url, title: page.meta.title ?? page.url, excerpt: page.excerpt }));
}
