/**
 * Maps the items with at most `limit` tasks going on at once; the results are in the order of the items. A task
 * that rejects rejects the whole (the tasks of a crash test report their failures instead of throwing).
 */
export async function runConcurrently<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}
