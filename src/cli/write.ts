import { open } from 'node:fs/promises';

/** Chunks are gathered to about this many characters a write: few system calls, memory bounded by one batch. */
const BATCH = 1 << 20;

function* batches(chunks: Iterable<string>): Generator<string> {
  let batch = '';
  for (const chunk of chunks) {
    batch += chunk;
    if (batch.length >= BATCH) {
      yield batch;
      batch = '';
    }
  }
  if (batch) yield batch;
}

/** Where text goes: `write` returns false when the reader is behind, and `drained` waits for it. */
export interface Sink {
  write(text: string): boolean | void;
  drained?(): Promise<void>;
}

/** Write chunks to a stream, a batch at a time, waiting whenever it says it is full (backpressure). */
export async function writeChunks(sink: Sink, chunks: Iterable<string>): Promise<void> {
  for (const batch of batches(chunks)) {
    if (sink.write(batch) === false && sink.drained) await sink.drained();
  }
}

/** Write chunks to a file, a batch at a time; each write finishes before the next batch is made. */
export async function writeFileChunks(path: string, chunks: Iterable<string>): Promise<void> {
  const file = await open(path, 'w');
  try {
    for (const batch of batches(chunks)) await file.writeFile(batch);
  } finally {
    await file.close();
  }
}
