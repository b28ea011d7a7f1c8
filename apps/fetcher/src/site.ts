// The site the crawler visits: a few dozen generated HTML pages served by node:http on
// 127.0.0.1, with the troubles a real crawl meets — slow pages, pages that fail with 503 a
// couple of times before they answer, one that always fails, a dead link and one page that
// never answers at all.
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How a page of the site behaves. */
export type PageKind = 'fast' | 'slow' | 'flaky' | 'broken' | 'hang';

/** The shape of the generated site. */
export interface SiteOptions {
  /** The number of `/page/<n>` pages, besides the home page. */
  readonly pages: number;
  /** How long a normal page takes to answer, in ms. */
  readonly latency: number;
  /** How long a slow page takes to answer, in ms. */
  readonly slowLatency: number;
}

/** One page of the generated site. */
export interface Page {
  readonly path: string;
  readonly kind: PageKind;
  /** How many times a flaky page answers 503 before it answers 200. */
  readonly failures: number;
  readonly links: readonly string[];
}

/** A running site. */
export interface Site {
  /** The home page, `http://127.0.0.1:<port>/`. */
  readonly url: string;
  readonly pages: ReadonlyMap<string, Page>;
  /** Stops listening and ends every open connection, a hanging response included. */
  close(): Promise<void>;
}

/** The path of the dead link: it is linked from a page but the site has no such page. */
export const MISSING_PATH = '/missing';

/** The smallest site that has every kind of page. */
export const MIN_PAGES = 12;

const HANG_INDEX = 10;

function kindOf(index: number, pages: number): PageKind {
  if (index === HANG_INDEX) return 'hang';
  if (index === pages) return 'broken';
  if (index % 7 === 3) return 'slow';
  if (index % 6 === 5) return 'flaky';
  return 'fast';
}

/**
 * The pages of a site of `pages` pages. The home page links to every fifth page (the first
 * of each "section"), each page to the next one and to two others, so every page is reachable
 * although the hanging page (the last of a section) never gives its links.
 */
export function generatePages(pages: number): Map<string, Page> {
  const path = (index: number) => `/page/${index}`;
  const site = new Map<string, Page>();
  const home: string[] = [];
  for (let index = 1; index <= pages; index += 5) home.push(path(index));
  site.set('/', { path: '/', kind: 'fast', failures: 0, links: home });
  for (let index = 1; index <= pages; index++) {
    const links = new Set<string>();
    if (index < pages) links.add(path(index + 1));
    if (index * 2 <= pages) links.add(path(index * 2));
    links.add(path(((index * 5) % pages) + 1));
    if (index === 4) links.add(MISSING_PATH);
    links.add('/');
    links.delete(path(index));
    const kind = kindOf(index, pages);
    const failures = kind === 'flaky' ? 1 + (Math.floor(index / 6) % 2) : 0;
    site.set(path(index), { path: path(index), kind, failures, links: [...links] });
  }
  return site;
}

function html(page: Page): string {
  const items = page.links.map((link) => `    <li><a href="${link}">${link}</a></li>`);
  return [
    '<!doctype html>',
    `<title>${page.path}</title>`,
    `<h1>${page.path}</h1>`,
    `<p>A ${page.kind} page.</p>`,
    '<ul>',
    ...items,
    '</ul>',
    '',
  ].join('\n');
}

function answer(res: ServerResponse, status: number, body: string, delay: number): void {
  const timer = setTimeout(() => {
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
    res.end(body);
  }, delay);
  // A request the client gave up on (a deadline, Ctrl-C) leaves no timer behind.
  res.on('close', () => clearTimeout(timer));
}

/** Starts the site on an ephemeral port of 127.0.0.1. */
export async function startSite(options: SiteOptions): Promise<Site> {
  const pages = generatePages(options.pages);
  const requests = new Map<string, number>();

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const page = pages.get(path);
    if (page === undefined) {
      answer(res, 404, '<!doctype html>\n<h1>Not found</h1>\n', options.latency);
      return;
    }
    const count = (requests.get(path) ?? 0) + 1;
    requests.set(path, count);
    switch (page.kind) {
      case 'hang':
        // Never answers: only the client's deadline (or the server's close) ends it.
        return;
      case 'broken':
        answer(res, 500, '<!doctype html>\n<h1>Internal error</h1>\n', options.latency);
        return;
      case 'flaky':
        if (count <= page.failures) {
          answer(res, 503, '<!doctype html>\n<h1>Try again</h1>\n', options.latency);
          return;
        }
        break;
      default:
        break;
    }
    answer(res, 200, html(page), page.kind === 'slow' ? options.slowLatency : options.latency);
  });

  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/`,
    pages,
    async close() {
      const closed = once(server, 'close');
      server.close();
      server.closeAllConnections();
      await closed;
    },
  };
}
