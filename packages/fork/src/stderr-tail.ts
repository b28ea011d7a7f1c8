/** How much of a child's stderr a {@link StderrTail} keeps. */
const LIMIT = 8 * 1024;

/** The last 8 KiB written to a stream, for the message of an error. */
export class StderrTail {
  #chunks: Buffer[] = [];
  #size = 0;

  /** Adds what the stream wrote, dropping the oldest bytes past the limit. */
  push(chunk: Buffer): void {
    this.#chunks.push(chunk);
    this.#size += chunk.length;
    while (this.#size - (this.#chunks[0]?.length ?? 0) >= LIMIT) {
      this.#size -= this.#chunks.shift()?.length ?? 0;
    }
  }

  /** The kept bytes as text (the first line may start mid-line). */
  text(): string {
    const all = Buffer.concat(this.#chunks);
    return all.subarray(Math.max(0, all.length - LIMIT)).toString('utf8');
  }
}
