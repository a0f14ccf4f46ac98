// Where each entry of one stream file sits, so that a read seeks to its
// first entry instead of scanning the file. Entries are contiguous in offset
// space (each ends where the next starts, the last at the stream's tail),
// which serves JSON streams (one unit each) and byte streams alike.

/** The offset and line byte range of every committed entry of one stream. */
export class EntryIndex {
  #offsets = new Float64Array(64);
  #starts = new Float64Array(64);
  #ends = new Float64Array(64);
  #length = 0;

  /** How many entries there are. */
  get length(): number {
    return this.#length;
  }

  /** Adds the entry at `offset` whose line spans bytes `[start, end)` of the file. */
  push(offset: number, start: number, end: number): void {
    if (this.#length === this.#offsets.length) {
      this.#offsets = grow(this.#offsets);
      this.#starts = grow(this.#starts);
      this.#ends = grow(this.#ends);
    }
    this.#offsets[this.#length] = offset;
    this.#starts[this.#length] = start;
    this.#ends[this.#length] = end;
    this.#length++;
  }

  /** The first offset of entry `i`. */
  offset(i: number): number {
    return this.#offsets[i];
  }

  /** Where the line of entry `i` starts in the file. */
  start(i: number): number {
    return this.#starts[i];
  }

  /** Where the line of entry `i` ends in the file (after its newline). */
  end(i: number): number {
    return this.#ends[i];
  }

  /** The first entry that ends after `offset`, given the stream's tail; `length` if none. */
  find(offset: number, tail: number): number {
    let lo = 0;
    let hi = this.#length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#offsets[mid] <= offset) lo = mid + 1;
      else hi = mid;
    }
    // lo - 1 is the last entry starting at or before `offset`; it may hold it.
    const holder = lo - 1;
    if (holder < 0) return 0;
    const end = holder + 1 < this.#length ? this.#offsets[holder + 1] : tail;
    return end > offset ? holder : lo;
  }
}

function grow(array: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer> {
  const bigger = new Float64Array(array.length * 2);
  bigger.set(array);
  return bigger;
}
