// A restock import, one batch at a time: rows checked, SKUs that have no catalogue entry refused, rows
// already applied answered `unchanged` (same quantity) or refused (another quantity for the same
// delivery line), the rest written `pending`, sent as Restock commands on INV_CMD (ids derived from the
// row key), then marked applied. A row left pending (a send that failed or a crash midway) is sent again
// by a later upload only if the ledger does not have its command: never applied twice, however late.
import { EpochMillis, type Actor, type Restock } from '@larder/domain';
import { Schema } from 'effect';
import type { CommandGateway } from '../Commands/CommandGateway.js';
import type { CsvRow } from './CsvRows.js';
import { breathe } from './ImportBatches.js';
import { refused, type RowReport } from './ImportReport.js';
import type { AppliedRow, ImportedRowStore } from './ImportedRowStore.js';
import { checkRestockRow, restockCommandId, type RestockLine } from './RestockRow.js';

export interface RestockImportDeps {
  readonly gateway: CommandGateway;
  readonly store: ImportedRowStore;
  readonly actor: Actor;
  /** Epoch ms; commands are stamped with it. */
  readonly clock: () => number;
}

const RestockContent = Schema.Struct({ qty: Schema.Int });
const contentQty = (content: unknown) => {
  const decoded = Schema.decodeUnknownOption(RestockContent)(content);
  return decoded._tag === 'Some' ? decoded.value.qty : undefined;
};

const whenApplied = (row: AppliedRow) => `${row.appliedAt.toISOString()} by ${row.actor}`;

/** The answer to a row whose key was applied before: unchanged with the same quantity, else refused. */
const againstApplied = (row: number, line: RestockLine, applied: AppliedRow): RowReport => {
  const qty = contentQty(applied.content);
  return qty === line.qty
    ? { row, key: line.key, status: 'unchanged', reason: `already applied ${whenApplied(applied)}` }
    : refused(
        row,
        line.key,
        `this delivery line (sku, location, reference) was already applied with qty ${qty ?? '?'} ${whenApplied(applied)}; this row says ${line.qty}. A new delivery needs its own reference; a correction is POST /v1/adjustments`,
      );
};

/** Publishes this many commands per event-loop turn: a whole batch started in one turn would hold the loop for all of its publishes at once. */
const PublishSlice = 25;

/** Starts `work` for every item, `PublishSlice` per turn, letting other requests run between slices; the promises in order. */
const inSlices = async <A, B>(items: ReadonlyArray<A>, work: (item: A) => Promise<B>): Promise<ReadonlyArray<Promise<B>>> => {
  const started: Array<Promise<B>> = [];
  for (let i = 0; i < items.length; i += PublishSlice) {
    for (const item of items.slice(i, i + PublishSlice)) started.push(work(item));
    // Started promises are settled by allSettled; until then a rejection here must not be unhandled.
    for (const p of started.slice(i)) p.catch(() => undefined);
    if (i + PublishSlice < items.length) await breathe();
  }
  return started;
};

const errorText = (reason: unknown) => (reason instanceof Error ? reason.message : String(reason)).split('\n')[0]?.slice(0, 300) ?? '';

export const importRestockBatch = async (deps: RestockImportDeps, batch: ReadonlyArray<CsvRow>): Promise<ReadonlyArray<RowReport>> => {
  // By the row's place in the batch.
  const reports: Array<RowReport | undefined> = [];
  const valid: Array<{ readonly at: number; readonly row: number; readonly line: RestockLine }> = [];
  batch.forEach((item, at) => {
    if (item._tag === 'Unreadable') reports[at] = refused(item.row, '', item.reason);
    else {
      const checked = checkRestockRow(item.cells);
      if (checked._tag === 'Invalid') reports[at] = refused(item.row, checked.key, checked.reason);
      else valid.push({ at, row: item.row, line: checked.line });
    }
  });
  const [known, stored] = await Promise.all([deps.store.knownSkus(valid.map((v) => v.line.sku)), deps.store.lookup(valid.map((v) => v.line.key))]);
  // A pending row was written before its command was sent, by an upload that did not see it stored: the
  // ledger says whether the actor applied it. If not, it is sent again under the same command id.
  const pendingIds = [...stored.values()].filter((r) => r.state === 'pending').map((r) => r.commandId);
  const applied = await deps.store.inLedger(pendingIds);
  type Send = { readonly at: number; readonly row: number; readonly line: RestockLine; readonly command: Restock };
  const fresh: Array<Send> = [];
  const resend: Array<Send> = [];
  const nowApplied: Array<string> = [];
  const now = EpochMillis.make(Math.floor(deps.clock()));
  for (const { at, row, line } of valid) {
    const before = stored.get(line.key);
    const { key: _key, ...fields } = line;
    const send: Send = { at, row, line, command: { _tag: 'Restock', commandId: restockCommandId(line.key), actor: deps.actor, now, ...fields } };
    if (!known.has(line.sku)) {
      reports[at] = refused(row, line.key, `SKU ${line.sku} is not in the catalogue: import it (POST /v1/imports/catalogue) or PUT /v1/skus/${line.sku} first, then upload again`);
    } else if (before === undefined) {
      fresh.push(send);
    } else if (before.state === 'applied' || contentQty(before.content) !== line.qty) {
      reports[at] = againstApplied(row, line, before);
    } else if (applied.has(before.commandId)) {
      nowApplied.push(line.key);
      reports[at] = againstApplied(row, line, before);
    } else {
      resend.push(send);
    }
  }
  // Written pending before anything is sent: a crash from here on leaves a row whose fate the ledger tells.
  const appliedAt = new Date(now);
  const reserved = await deps.store.reserve(
    fresh.map((s) => ({ key: s.line.key, content: { qty: s.line.qty }, commandId: s.command.commandId, actor: deps.actor, appliedAt })),
  );
  const toSend: Array<Send> = [...resend];
  for (const s of fresh) {
    if (reserved.has(s.line.key)) toSend.push(s);
    else reports[s.at] = refused(s.row, s.line.key, 'another upload is importing this delivery line right now; upload this file again once it has finished to see its result');
  }
  const sent = await Promise.allSettled(await inSlices(toSend, (s) => deps.gateway.enqueue(s.command)));
  toSend.forEach((s, i) => {
    const outcome = sent[i];
    if (outcome?.status === 'fulfilled') {
      nowApplied.push(s.line.key);
      reports[s.at] = { row: s.row, key: s.line.key, status: 'applied' };
    } else {
      const why = outcome?.status === 'rejected' ? errorText(outcome.reason) : 'no answer';
      reports[s.at] = refused(
        s.row,
        s.line.key,
        `JetStream did not confirm storing the restock (${why}); it may or may not apply: upload the file again — a row is never applied twice`,
      );
    }
  });
  await deps.store.markApplied(nowApplied);
  return batch.map((item, at) => reports[at] ?? refused(item.row, '', 'not processed (internal error); upload the file again'));
};
