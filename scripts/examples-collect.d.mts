// Types of scripts/examples-collect.mjs, for the TypeScript that imports it
// (e2e/src/examples.test.ts).

/** A block that continues an earlier one: neither type-checked nor run. */
export interface PartialEntry {
  readonly file: string;
  readonly start: string;
  readonly why: string;
  found?: boolean;
}

/** One ```ts block of a markdown file or of a TSDoc @example. */
export interface Example {
  /** Relative to the repository root, with `/`. */
  readonly file: string;
  readonly kind: 'markdown' | 'tsdoc';
  /** 1-based line of the block's first line of code. */
  readonly line: number;
  readonly code: string;
  /** Fenced as ```ts fragment. */
  readonly fragment: boolean;
  readonly partial: PartialEntry | undefined;
}

export const PARTIAL: PartialEntry[];
export function markdownBlocks(
  lines: readonly string[],
  lineOf?: (index: number) => number,
): Array<{ line: number; code: string; fragment: boolean }>;
export function tsdocBlocks(text: string): Array<{ line: number; code: string; fragment: boolean }>;
export function exampleMarkdownFiles(root: string): string[];
export function exampleSourceFiles(root: string): string[];
export function collectExamples(root: string, options?: { tsdoc?: boolean }): Example[];
export function exampleBase(example: Pick<Example, 'file' | 'line'>): string;
export function stalePartials(): PartialEntry[];
