import "server-only";

/**
 * Group commit: requests that arrive while a batch is being written wait and are written
 * together in the next batch, one transaction for all of them. Each caller's promise settles
 * only after the transaction that holds its item has committed (or failed), so an answer is
 * never sent for something not yet stored. An idle server writes at once (a batch of one); a busy
 * one pays the per-statement cost of the database client once per batch instead of once per
 * request, which is what the product API's hot paths spend most of their time on.
 *
 * When a batch fails, its items are retried one by one, so that one bad item (a license revoked
 * meanwhile, a race with another instance) fails alone.
 */
export class GroupCommit<I, O> {
  private queue: { item: I; resolve: (o: O) => void; reject: (e: unknown) => void }[] = [];
  private running = false;

  constructor(
    private readonly write: (items: I[]) => Promise<O[]>,
    private readonly maxBatch = 200,
  ) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.running) {
        this.running = true;
        // Let the requests already in this turn of the event loop join the first batch.
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxBatch);
        try {
          const out = await this.write(batch.map((b) => b.item));
          batch.forEach((b, i) => b.resolve(out[i]));
        } catch (error) {
          if (batch.length === 1) {
            batch[0].reject(error);
            continue;
          }
          for (const b of batch) {
            try {
              b.resolve((await this.write([b.item]))[0]);
            } catch (single) {
              b.reject(single);
            }
          }
        }
      }
    } finally {
      this.running = false;
      if (this.queue.length > 0) {
        this.running = true;
        setImmediate(() => void this.drain());
      }
    }
  }
}
