// Runs `work` over every item with at most `limit` calls in flight, answers in input order. Load
// tests use it to stay under a listen backlog: past it the kernel resets new connections, which
// would test the machine's TCP settings rather than the API.
export const mapWithLimit = async <A, B>(items: ReadonlyArray<A>, limit: number, work: (item: A, index: number) => Promise<B>): Promise<Array<B>> => {
  const results: Array<B> = [];
  // One iterator shared by every lane: each takes the next item when its call is answered.
  const queue = items.entries();
  const lane = async () => {
    for (let next = queue.next(); next.done !== true; next = queue.next()) {
      const [index, item] = next.value;
      results[index] = await work(item, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
};
