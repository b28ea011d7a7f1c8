// The messages between an executor and its threads, and what both sides do with errors.
// Kept small and positional: one structured clone per call each way.

/** A call: `[id, module URL, export name, arguments]`. */
export type Request = [id: number, href: string, exportName: string, args: unknown[]];

/** A result, `[id, 0, value]`, or an error, `[id, 1, error, facts]`. */
export type Reply =
  | [id: number, ok: 0, value: unknown]
  | [id: number, failed: 1, error: unknown, facts: ErrorFacts | undefined];

/**
 * What the structured clone of an Error loses on the way: a name that is not one of the
 * standard constructors' (it arrives as `Error`), own properties such as `code`, and on
 * Node 20 a DOMException altogether.
 */
export interface ErrorFacts {
  name: string;
  message: string;
  stack: string | undefined;
  props: Record<string, unknown>;
}

export function uncloneableMessage(what: string, request: Request, error: unknown): string {
  const detail = error instanceof Error ? error.message : String(error);
  return `Export "${request[2]}" of ${request[1]} ${what} a value that cannot be cloned to the calling thread: ${detail}`;
}

/** The error a call rejects with: the clone, with what the clone dropped put back. */
export function decodeError(error: unknown, facts: ErrorFacts | undefined): unknown {
  if (facts === undefined) return error;
  const result = error instanceof Error ? error : new Error(facts.message);
  if (result.name !== facts.name) define(result, 'name', facts.name);
  if (facts.stack !== undefined && result.stack !== facts.stack)
    define(result, 'stack', facts.stack);
  Object.assign(result, facts.props);
  return result;
}

function define(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, configurable: true });
}
