// A catalogue import, one batch at a time: each row is compared with the entry as it stands (the
// catalogue is state, so its key is the SKU and a later upload with other values is an update):
// the same values → unchanged, nothing sent; else the changed policy goes to the SKU's actor first
// (PushStockPolicy) and then the entry is saved (UpsertCatalogEntry), as PUT /v1/skus/{sku} does. In
// that order, a row whose policy could not be delivered leaves the entry as it was, so uploading the
// file again retries it instead of reporting it unchanged.
import type { Actor } from '@larder/domain';
import { CatalogSku } from '@larder/persistence';
import type { MikroORM } from '@mikro-orm/postgresql';
import { Schema } from 'effect';
import { CatalogRow } from '../Catalog/CatalogEntry.js';
import { pushStockPolicy } from '../Catalog/PushStockPolicy.js';
import { upsertCatalogEntry } from '../Catalog/UpsertCatalogEntry.js';
import type { CommandGateway } from '../Commands/CommandGateway.js';
import { changesNothing, checkCatalogueRow, policyChange, type CatalogueLine } from './CatalogueRow.js';
import type { CsvRow } from './CsvRows.js';
import { refused, type RowReport } from './ImportReport.js';

export interface CatalogueImportDeps {
  readonly orm: MikroORM;
  readonly gateway: CommandGateway;
  readonly actor: Actor;
  /** Epoch ms; policy commands are stamped with it. */
  readonly clock: () => number;
}

/** Changed rows saved at once: well under the ORM's pool of 10, so other requests still get connections. */
const SavesAtOnce = 4;

const decodeRows = Schema.decodeUnknownSync(Schema.Array(CatalogRow));

const applyRow = async (deps: CatalogueImportDeps, row: number, line: CatalogueLine, entry: CatalogRow | undefined): Promise<RowReport> => {
  const policy = policyChange(entry, line.change);
  if (Object.keys(policy).length > 0) {
    if ((await pushStockPolicy(deps.gateway, { actor: deps.actor, now: deps.clock(), sku: line.sku, ...policy })) === 'failed') {
      return refused(row, line.sku, 'its stock policy reached neither the SKU’s owner nor JetStream, so the entry was left as it was: upload the file again');
    }
  }
  const { created } = await upsertCatalogEntry(deps.orm, line.sku, line.change, entry === undefined);
  return { row, key: line.sku, status: 'applied', change: created ? 'created' : 'updated' };
};

export const importCatalogueBatch = async (deps: CatalogueImportDeps, batch: ReadonlyArray<CsvRow>): Promise<ReadonlyArray<RowReport>> => {
  const reports: Array<RowReport | undefined> = [];
  const valid: Array<{ readonly at: number; readonly row: number; readonly line: CatalogueLine }> = [];
  batch.forEach((item, at) => {
    if (item._tag === 'Unreadable') reports[at] = refused(item.row, '', item.reason);
    else {
      const checked = checkCatalogueRow(item.cells);
      if (checked._tag === 'Invalid') reports[at] = refused(item.row, checked.key, checked.reason);
      else valid.push({ at, row: item.row, line: checked.line });
    }
  });
  const skus = valid.map((v) => v.line.sku);
  const entries = new Map(
    (skus.length === 0 ? [] : decodeRows(await deps.orm.em.fork().find(CatalogSku, { sku: { $in: skus } }))).map((e) => [e.sku, e]),
  );
  const changed = valid.filter(({ at, row, line }) => {
    const entry = entries.get(line.sku);
    if (entry === undefined || !changesNothing(entry, line.change)) return true;
    reports[at] = { row, key: line.sku, status: 'unchanged' };
    return false;
  });
  for (let i = 0; i < changed.length; i += SavesAtOnce) {
    const turn = changed.slice(i, i + SavesAtOnce);
    const done = await Promise.all(turn.map(({ row, line }) => applyRow(deps, row, line, entries.get(line.sku))));
    turn.forEach(({ at }, j) => (reports[at] = done[j]));
  }
  return batch.map((item, at) => reports[at] ?? refused(item.row, '', 'not processed (internal error); upload the file again'));
};
