// Creates or updates a SKU's catalogue entry in Postgres (MikroORM, a fresh EntityManager per call).
// Fields left out keep their value; two concurrent creations settle as one create and one update.
import type { Sku } from '@larder/domain';
import { CatalogSku } from '@larder/persistence';
import { UniqueConstraintViolationException, type MikroORM } from '@mikro-orm/postgresql';
import { Schema } from 'effect';
import { CatalogRow, type CatalogEntryRequest } from './CatalogEntry.js';

const decodeRow = Schema.decodeUnknownSync(CatalogRow);

export interface UpsertResult {
  readonly created: boolean;
  readonly row: CatalogRow;
}

const update = async (orm: MikroORM, sku: Sku, change: CatalogEntryRequest): Promise<UpsertResult | undefined> => {
  const em = orm.em.fork();
  const entity = await em.findOne(CatalogSku, { sku });
  if (entity === null) return undefined;
  entity.name = change.name;
  if (change.lowStockThreshold !== undefined) entity.lowStockThreshold = change.lowStockThreshold;
  if (change.safetyStock !== undefined) entity.safetyStock = change.safetyStock;
  if (change.replenishment !== undefined) entity.replenishment = change.replenishment === null ? null : { ...change.replenishment };
  await em.flush();
  return { created: false, row: decodeRow(entity) };
};

/**
 * `knownAbsent`: the caller has just read that there is no entry (a catalogue import reads its whole
 * batch at once), so the insert is tried first; a concurrent creation still ends as an update.
 */
export const upsertCatalogEntry = async (orm: MikroORM, sku: Sku, change: CatalogEntryRequest, knownAbsent = false): Promise<UpsertResult> => {
  const updated = knownAbsent ? undefined : await update(orm, sku, change);
  if (updated !== undefined) return updated;
  const em = orm.em.fork();
  try {
    const entity = em.create(CatalogSku, {
      sku,
      name: change.name,
      lowStockThreshold: change.lowStockThreshold ?? null,
      safetyStock: change.safetyStock ?? 0,
      replenishment: change.replenishment === undefined || change.replenishment === null ? null : { ...change.replenishment },
    });
    await em.flush();
    return { created: true, row: decodeRow(entity) };
  } catch (error) {
    if (!(error instanceof UniqueConstraintViolationException)) throw error;
    // Another request created it between our read and our insert: ours is an update after all.
    const raced = await update(orm, sku, change);
    if (raced === undefined) throw error;
    return raced;
  }
};
