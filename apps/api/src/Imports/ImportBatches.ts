// Groups streamed CSV rows into batches for an importer, and lets the event loop breathe between them:
// a batch is cut at `size` rows or just before a key it already holds, so a key repeated in a file is
// decided after its first occurrence is recorded (and reported unchanged or refused, never sent twice).
import type { CsvRow } from './CsvRows.js';

/** Rows per batch: one lookup, one send round and one insert each; small enough that a batch takes milliseconds. */
const ImportBatchRows = 250;

/** Lets every request waiting on the event loop run before going on (one setImmediate turn). */
export const breathe = () => new Promise<void>((resolve) => setImmediate(resolve));

export const inBatches = async (
  rows: AsyncIterable<CsvRow>,
  keyOf: (cells: Readonly<Record<string, string | undefined>>) => string,
  handle: (batch: ReadonlyArray<CsvRow>) => Promise<void>,
  size: number = ImportBatchRows,
): Promise<void> => {
  let batch: Array<CsvRow> = [];
  let keys = new Set<string>();
  const flush = async () => {
    if (batch.length === 0) return;
    const full = batch;
    batch = [];
    keys = new Set();
    await handle(full);
    // Other requests (stock reads, holds) run here, however long the file.
    await breathe();
  };
  for await (const row of rows) {
    if (row._tag === 'Cells') {
      const key = keyOf(row.cells);
      if (keys.has(key)) await flush();
      keys.add(key);
    }
    batch.push(row);
    if (batch.length >= size) await flush();
  }
  await flush();
};
