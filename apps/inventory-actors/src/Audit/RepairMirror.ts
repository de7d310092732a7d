// The one thing the auditor writes: a Redis mirror key that is gone while the SKU has a journal (Redis
// flushed, or restarted empty without the runner noticing). The projector rewrites only SKUs that
// change, so nothing else would bring it back. A mirror that is there but wrong is drift: reported
// (SkuAudit), never rewritten here, so a repair cannot hide a bug in the projector.
import type { StockView } from '@larder/messaging';
import { Effect, Option } from 'effect';
import type { StockViewWriter } from '../Projection/StockViewWriter.js';
import type { SkuAudit } from './SkuAudit.js';

/** The view to write when the audit found no mirror key and the journal gives one. */
export const missingMirror = (audit: SkuAudit): Option.Option<StockView> =>
  audit.checks.some((c) => c.store === 'redis' && c.outcome === 'absent') ? Option.fromNullable(audit.journalView) : Option.none();

/**
 * Writes the journal's view through the projector's own Redis writer: it only ever raises a key's
 * `seq`, so a runner projecting the SKU meanwhile (same or newer view) is never moved back.
 */
export const repairMirror = (mirror: StockViewWriter, audit: SkuAudit) =>
  Option.match(missingMirror(audit), {
    onNone: () => Effect.void,
    onSome: (view) =>
      mirror.write(view).pipe(
        Effect.zipRight(Effect.logWarning(`repaired a missing Redis mirror key: sku=${audit.sku} written at seq ${view.seq} from the journal`)),
        Effect.catchAll((error) => Effect.logWarning(`cannot repair the missing Redis mirror key of ${audit.sku}: ${error.detail}`)),
        Effect.annotateLogs({ sku: audit.sku }),
      ),
  });
