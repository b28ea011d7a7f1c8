import { subscribe, unsubscribe } from 'node:diagnostics_channel';

interface UndiciRequest {
  readonly origin?: unknown;
  readonly completed?: boolean;
  readonly aborted?: boolean;
}

interface RequestMessage {
  readonly request: UndiciRequest;
}

const CREATE = 'undici:request:create';
const ENDS = ['undici:request:trailers', 'undici:request:error'] as const;

/**
 * Keeps the `fetch()` requests (undici, bundled with Node) that are in flight, through undici's
 * diagnostics channels: from `undici:request:create` until `undici:request:trailers` (the
 * response ended) or `undici:request:error`. Unlike `node:http`, undici leaves no mark on its
 * sockets, and an idle keep-alive connection looks like one waiting for an answer.
 */
export class FetchWatch {
  #requests = new Set<UndiciRequest>();
  #changes = 0;
  #on = false;

  readonly #onCreate = (message: unknown) => {
    this.#requests.add((message as RequestMessage).request);
    this.#changes++;
  };

  readonly #onEnd = (message: unknown) => {
    if (this.#requests.delete((message as RequestMessage).request)) this.#changes++;
  };

  /** Starts watching (at install). */
  start(): void {
    this.#requests.clear();
    if (this.#on) return;
    this.#on = true;
    subscribe(CREATE, this.#onCreate);
    for (const name of ENDS) subscribe(name, this.#onEnd);
  }

  /** Stops watching (at uninstall). */
  stop(): void {
    this.#requests.clear();
    if (!this.#on) return;
    this.#on = false;
    unsubscribe(CREATE, this.#onCreate);
    for (const name of ENDS) unsubscribe(name, this.#onEnd);
  }

  /** Grows each time a request starts or ends. */
  get changes(): number {
    return this.#changes;
  }

  /** Whether a request is in flight. */
  get size(): number {
    return this.#requests.size;
  }

  /**
   * The origins (`http://host:port`) of the requests in flight; requests that finished
   * without a message are dropped.
   */
  *origins(): Generator<string> {
    for (const request of this.#requests) {
      if (request.completed === true || request.aborted === true) {
        this.#requests.delete(request);
        this.#changes++;
        continue;
      }
      if (typeof request.origin === 'string') yield request.origin;
      else yield String(request.origin);
    }
  }
}
