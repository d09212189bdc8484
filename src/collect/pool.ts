/**
 * Call `fn` on each item, at most `concurrency` calls at a time, in the items' order. A limiter
 * over `items.map(...)` (p-limit) starts one suspended call per item at once: for a region of
 * 10,000 instances that is 10,000 closures, promises and queue entries held, about a kilobyte
 * each, until their turn. Here `concurrency` workers each take the next item when they finish one.
 */
export async function eachPooled<T>(items: readonly T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
}
