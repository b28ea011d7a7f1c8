// The floor: the least a promise queue must do. Items in an array read from a moving head,
// waiting getters and putters as plain resolver arrays, direct hand-off, no cancellation, no
// close, no validation.
export class FloorQueue {
  constructor(max = Number.POSITIVE_INFINITY) {
    this.max = max;
    this.items = [];
    this.head = 0;
    this.getters = [];
    this.putters = [];
  }

  put(item) {
    if (this.getters.length > 0) {
      this.getters.shift()(item);
      return Promise.resolve();
    }
    if (this.items.length - this.head < this.max) {
      this.items.push(item);
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.putters.push(() => {
        this.items.push(item);
        resolve();
      });
    });
  }

  get() {
    if (this.items.length > this.head) {
      const item = this.items[this.head];
      this.items[this.head++] = undefined;
      if (this.head > 1024 && this.head * 2 > this.items.length) {
        this.items = this.items.slice(this.head);
        this.head = 0;
      }
      if (this.putters.length > 0) this.putters.shift()();
      return Promise.resolve(item);
    }
    return new Promise((resolve) => this.getters.push(resolve));
  }
}
