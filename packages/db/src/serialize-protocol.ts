// pglite-socket 0.2.17 queues each wire-protocol message on its own, so outside an explicit transaction
// the Parse/Bind/Execute/Sync messages of two connections interleave on PGlite's single backend. With the
// unnamed prepared statement shared by all connections, one client's Bind then meets another's Parse
// ("bind message supplies 4 parameters, but prepared statement "" requires 2"). Its queue also stops for
// good after a failed message (it returns with `processing` still set), which shows up later as
// "Unable to start a transaction in the given time". This replaces the queue's scheduler so a connection
// keeps the backend from its first extended-protocol message to its Sync, and a failure never stalls it.

type QueuedMessage = {
  handlerId: number;
  message: Uint8Array;
  resolve: (bytes: number) => void;
  reject: (error: unknown) => void;
  onData: (data: Uint8Array) => void;
};

type PGliteLike = {
  isInTransaction(): boolean;
  runExclusive<T>(fn: () => Promise<T>): Promise<T>;
  execProtocolRawStream(
    message: Uint8Array,
    options: { onRawData: (data: Uint8Array) => void },
  ): Promise<unknown>;
};

type QueryQueue = {
  queue: QueuedMessage[];
  processing: boolean;
  lastHandlerId: number | null;
  db: PGliteLike;
  processQueue(): Promise<void>;
  clearQueueForHandler(handlerId: number): void;
};

// Extended-protocol messages that leave a batch open until the client's Sync: Parse, Bind, Describe,
// Execute, Close, Flush.
const OPENS_BATCH = new Set([0x50, 0x42, 0x44, 0x45, 0x43, 0x48]);

/** Makes the socket server's queue run each connection's protocol batch as one unit (see above). */
export function serializeProtocolBatches(server: object): void {
  const queue = (server as { queryQueue?: QueryQueue }).queryQueue;
  if (!queue || typeof queue.processQueue !== 'function') {
    throw new Error('pglite-socket changed its internals: review serialize-protocol.ts before upgrading');
  }
  let batchOwner: number | null = null;

  queue.processQueue = async function processQueue(this: QueryQueue) {
    if (this.processing) return;
    this.processing = true;
    try {
      while (this.queue.length > 0) {
        // Inside a transaction or an open batch, only the connection that holds the backend may go next.
        const owner = batchOwner ?? (this.db.isInTransaction() ? this.lastHandlerId : null);
        const index = owner === null ? 0 : this.queue.findIndex((item) => item.handlerId === owner);
        if (index === -1) break;
        const [item] = this.queue.splice(index, 1) as [QueuedMessage];
        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(item.message, {
              onRawData: (data) => {
                bytes += data.length;
                item.onData(data);
              },
            }),
          );
        } catch (error) {
          batchOwner = null;
          this.lastHandlerId = item.handlerId;
          item.reject(error);
          continue;
        }
        this.lastHandlerId = item.handlerId;
        batchOwner = OPENS_BATCH.has(item.message[0] ?? 0) ? item.handlerId : null;
        item.resolve(bytes);
      }
    } finally {
      this.processing = false;
    }
  };

  const clearQueueForHandler = queue.clearQueueForHandler.bind(queue);
  queue.clearQueueForHandler = (handlerId: number) => {
    clearQueueForHandler(handlerId);
    // A client that disconnects mid-batch must not hold the backend forever.
    if (batchOwner === handlerId) batchOwner = null;
    void queue.processQueue();
  };
}
