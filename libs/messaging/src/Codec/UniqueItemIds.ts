// The rule shared by request and reply batches: each item id appears once, so every answer
// finds exactly one waiting caller.

/** A `Schema.filter` predicate: true, or the first id that repeats. */
export const uniqueItemIds = (batch: { readonly items: ReadonlyArray<{ readonly id: string }> }): true | string => {
  const seen = new Set<string>();
  for (const { id } of batch.items) {
    if (seen.has(id)) return `item id "${id}" appears more than once in the batch`;
    seen.add(id);
  }
  return true;
};
