/** Prefixes a root-relative URL (`/lessons/…`) with the site's base path; other URLs are returned as is. */
export function withBasePath(url: string, base: string): string {
  if (!url.startsWith('/') || url.startsWith('//')) return url;
  const prefix = base.endsWith('/') ? base.slice(0, -1) : base;
  if (prefix && (url === prefix || url.startsWith(`${prefix}/`))) return url;
  return `${prefix}${url}`;
}

/** Sätteri mdast plugin: makes root-relative links in lessons honour the configured base path. */
export function baseLinksPlugin(base: string) {
  return {
    name: 'reslab-base-links',
    link<Node extends { url: string }>(node: Node): Node | undefined {
      const url = withBasePath(node.url, base);
      return url === node.url ? undefined : { ...node, url };
    },
  };
}
