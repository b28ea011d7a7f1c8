// The crawler: every page is a task of one TaskGroup, a Semaphore bounds the requests in
// flight, each request has its own deadline (failAfter, with the scope's signal handed to
// fetch), and a 5xx answer or a network error is retried after a growing pause. A cancellation
// of the group (Ctrl-C) aborts the requests in flight and ends the pauses and the waits for a
// permit: nothing of the crawl outlives TaskGroup.run.
import { failAfter } from '@aiotools/cancel';
import { currentSignal, isCancellation, sleep, TimeoutError } from '@aiotools/core';
import { TaskGroup } from '@aiotools/scope';
import { Semaphore } from '@aiotools/sync';

/** How the crawl behaves. */
export interface CrawlOptions {
  /** Requests in flight at most. */
  readonly concurrency: number;
  /** The deadline of one request (headers and body), in ms. */
  readonly timeout: number;
  /** Retries of a page that answered 5xx or could not be reached. */
  readonly retries: number;
  /** The pause before the first retry, in ms; it doubles with each retry. */
  readonly backoff: number;
}

/** What happened to one request or page, for the progress display. */
export type CrawlEvent =
  | { readonly type: 'ok'; readonly path: string; readonly attempt: number; readonly ms: number }
  | {
      readonly type: 'retry';
      readonly path: string;
      readonly attempt: number;
      readonly reason: string;
      readonly delay: number;
    }
  | { readonly type: 'timeout'; readonly path: string; readonly ms: number }
  | {
      readonly type: 'failed';
      readonly path: string;
      readonly attempt: number;
      readonly reason: string;
    };

/** Counters of a crawl, updated while it runs. */
export interface CrawlStats {
  /** Pages found so far (each fetched once). */
  discovered: number;
  /** Pages whose outcome is known. */
  done: number;
  /** Requests started (retries included). */
  requests: number;
  /** Requests in flight now. */
  inFlight: number;
  /** Pages fetched at the first attempt. */
  ok: number;
  /** Pages fetched after at least one retry. */
  retried: number;
  /** Pages whose request ran out of time. */
  timedOut: number;
  /** Pages given up: 4xx, or 5xx and network errors after every retry. */
  failed: number;
  /** Requests in flight when the crawl was cancelled. */
  aborted: number;
}

/** A fresh set of counters. */
export function emptyStats(): CrawlStats {
  return {
    discovered: 0,
    done: 0,
    requests: 0,
    inFlight: 0,
    ok: 0,
    retried: 0,
    timedOut: 0,
    failed: 0,
    aborted: 0,
  };
}

type Attempt =
  | { readonly kind: 'response'; readonly status: number; readonly body: string }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'error'; readonly message: string };

const HREF = /href="([^"]*)"/g;

/** The links of an HTML page that stay on `base`'s origin, without their query and fragment. */
export function sameOriginLinks(body: string, base: URL): URL[] {
  const links: URL[] = [];
  for (const [, href] of body.matchAll(HREF)) {
    let url: URL;
    try {
      url = new URL(href ?? '', base);
    } catch {
      continue;
    }
    if (url.origin !== base.origin) continue;
    url.search = '';
    url.hash = '';
    links.push(url);
  }
  return links;
}

/**
 * Crawls every page reachable from `start` on its origin, updating `stats` and telling
 * `onEvent` what happens. Resolves when every page has an outcome; rejects with the
 * cancellation when the caller's scope is cancelled, once every request has been aborted.
 */
export async function crawl(
  start: URL,
  options: CrawlOptions,
  stats: CrawlStats,
  onEvent: (event: CrawlEvent) => void,
): Promise<void> {
  const slots = new Semaphore(options.concurrency);
  const seen = new Set<string>();

  // One request, holding a permit of the semaphore for its duration only: a page waiting to
  // be retried lets others use its slot.
  async function attempt(url: URL): Promise<Attempt> {
    using _slot = await slots.acquire();
    stats.requests++;
    stats.inFlight++;
    try {
      return await failAfter(options.timeout, async (): Promise<Attempt> => {
        // currentSignal() is the deadline's scope: it aborts at the deadline and when anything
        // around it is cancelled, and fetch then drops the connection.
        const response = await fetch(url, { signal: currentSignal() });
        const body = await response.text();
        return { kind: 'response', status: response.status, body };
      });
    } catch (error) {
      if (error instanceof TimeoutError) return { kind: 'timeout' };
      if (isCancellation(error)) {
        stats.aborted++;
        throw error;
      }
      const cause = (error as Error).cause as { code?: string } | undefined;
      return { kind: 'error', message: cause?.code ?? (error as Error).message };
    } finally {
      stats.inFlight--;
    }
  }

  await TaskGroup.run(
    async (tg) => {
      const visit = (url: URL): void => {
        if (seen.has(url.pathname)) return;
        seen.add(url.pathname);
        stats.discovered++;
        tg.spawn(() => page(url), { name: url.pathname });
      };

      // Every outcome but a cancellation is handled here: a page that fails must not cancel
      // its siblings, as an error leaving a task of a TaskGroup would.
      const page = async (url: URL): Promise<void> => {
        const path = url.pathname;
        const started = performance.now();
        for (let n = 1; ; n++) {
          const result = await attempt(url);
          if (result.kind === 'timeout') {
            stats.timedOut++;
            stats.done++;
            onEvent({ type: 'timeout', path, ms: options.timeout });
            return;
          }
          const reason = result.kind === 'error' ? result.message : String(result.status);
          if (result.kind === 'response' && result.status < 400) {
            if (n === 1) stats.ok++;
            else stats.retried++;
            stats.done++;
            onEvent({ type: 'ok', path, attempt: n, ms: Math.round(performance.now() - started) });
            for (const link of sameOriginLinks(result.body, url)) visit(link);
            return;
          }
          const retryable = result.kind === 'error' || result.status >= 500;
          if (!retryable || n > options.retries) {
            stats.failed++;
            stats.done++;
            onEvent({ type: 'failed', path, attempt: n, reason });
            return;
          }
          const delay = options.backoff * 2 ** (n - 1);
          onEvent({ type: 'retry', path, attempt: n, reason, delay });
          await sleep(delay);
        }
      };

      visit(start);
    },
    { name: 'crawl' },
  );
}
