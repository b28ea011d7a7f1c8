import { describe, expect, it } from 'vitest';
import { sameOriginLinks } from './crawl.js';
import { generatePages, MIN_PAGES, MISSING_PATH } from './site.js';

/** The paths a crawler can reach from the home page: a page that never answers 200 gives no links. */
function reachable(pages: ReturnType<typeof generatePages>): Set<string> {
  const seen = new Set<string>(['/']);
  const todo = ['/'];
  for (let path = todo.pop(); path !== undefined; path = todo.pop()) {
    const page = pages.get(path);
    if (page === undefined || page.kind === 'hang' || page.kind === 'broken') continue;
    for (const link of page.links) {
      if (seen.has(link)) continue;
      seen.add(link);
      todo.push(link);
    }
  }
  return seen;
}

describe('generatePages', () => {
  it.each([MIN_PAGES, 13, 30, 60, 200])('every page of a %i-page site is reachable', (count) => {
    const pages = generatePages(count);
    expect(pages.size).toBe(count + 1);
    expect(reachable(pages)).toEqual(new Set([...pages.keys(), MISSING_PATH]));
  });

  it('has one hanging page, one broken page, slow and flaky ones', () => {
    const kinds = [...generatePages(30).values()].map((page) => `${page.path} ${page.kind}`);
    expect(kinds.filter((kind) => !kind.endsWith('fast'))).toEqual([
      '/page/3 slow',
      '/page/5 flaky',
      '/page/10 hang',
      '/page/11 flaky',
      '/page/17 slow',
      '/page/23 flaky',
      '/page/24 slow',
      '/page/29 flaky',
      '/page/30 broken',
    ]);
  });
});

describe('sameOriginLinks', () => {
  it('keeps the links of the same origin, without query and fragment', () => {
    const base = new URL('http://127.0.0.1:8080/page/1');
    const body =
      '<a href="/page/2">2</a> <a href="3?x=1#top">3</a> <a href="https://example.com/">x</a>' +
      ' <a href="http://[bad">bad</a>';
    expect(sameOriginLinks(body, base).map(String)).toEqual([
      'http://127.0.0.1:8080/page/2',
      'http://127.0.0.1:8080/page/3',
    ]);
  });
});
