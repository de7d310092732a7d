// What POST /v1/signals/polls does with a delivery: the signature over the raw bytes first (nothing of an
// unsigned body is read), then the answers (refused whole at the first bad one), then one statement that
// stores them. A delivery sent again changes nothing, so a poll tool may retry freely and no timestamp
// window is needed against replays.
import { decodePollBatch, describePollBatchProblem, latestPerRespondent } from '@larder/domain';
import { Either, Redacted, Schema } from 'effect';
import type { SignalSettings } from '../Config/ApiConfig.js';
import { Problem } from '../Http/Problems.js';
import type { RawJson } from '../Http/RawJson.js';
import { orStoreUnavailable } from '../Http/StoreUnavailable.js';
import type { Metrics } from '../Metrics/Metrics.js';
import type { PollAnswerStore } from './PollAnswerStore.js';
import { checkPollSignature, PollSignatureHeader } from './PollSignature.js';

export const PollAnswersReceived = Schema.Struct({
  /** Answers in the request. */
  received: Schema.Int,
  /** New: a respondent's first answer to a question. */
  stored: Schema.Int,
  /** A later answer that replaced a respondent's earlier one. */
  changed: Schema.Int,
  /** Changed nothing: stored before (a retry, a re-export), older than the answer kept, or repeated in the request. */
  duplicates: Schema.Int,
}).annotations({ identifier: 'PollAnswersReceived' });
export type PollAnswersReceived = typeof PollAnswersReceived.Type;

export interface ReceiveDeps {
  readonly settings: SignalSettings;
  readonly store: PollAnswerStore;
  readonly metrics: Metrics;
  readonly clock: () => number;
}

const verify = (settings: SignalSettings, body: RawJson, header: string | ReadonlyArray<string> | undefined) => {
  if (settings.pollSigningSecret === undefined) {
    throw new Problem({ type: 'signals-not-configured', detail: 'this deployment takes no poll answers: set LARDER_POLL_SIGNING_SECRET (the secret the poll tool signs with) on the API' });
  }
  const check = checkPollSignature(Redacted.value(settings.pollSigningSecret), body.bytes, header);
  if (check === 'missing') throw new Problem({ type: 'unauthorized', detail: `sign the body: ${PollSignatureHeader}: sha256=<hex HMAC-SHA256 of the raw body with the shared secret>` });
  if (check === 'mismatch') throw new Problem({ type: 'unauthorized', detail: `${PollSignatureHeader} does not sign this body with this deployment's secret` });
};

export const receivePollAnswers = async (deps: ReceiveDeps, body: RawJson, header: string | ReadonlyArray<string> | undefined): Promise<PollAnswersReceived> => {
  verify(deps.settings, body, header);
  const parsed = body.parse();
  if (Either.isLeft(parsed)) throw new Problem({ type: 'invalid-request', detail: `the body is not valid JSON: ${parsed.left}`.slice(0, 500) });
  const batch = decodePollBatch(parsed.right);
  if (Either.isLeft(batch)) {
    const problem = batch.left;
    throw new Problem({
      type: 'invalid-request',
      detail: `${describePollBatchProblem(problem)}; nothing was stored`.slice(0, 2000),
      extensions: problem._tag === 'BadAnswer' ? { index: problem.index, issues: problem.issues } : {},
    });
  }
  // One answer per (poll, question, respondent): a statement may not touch a row twice.
  const { kept } = latestPerRespondent(batch.right);
  const written = await orStoreUnavailable('poll answers (Postgres)', deps.store.record(kept, new Date(deps.clock())));
  const received = batch.right.length;
  const duplicates = received - written.stored - written.changed;
  deps.metrics.pollAnswers.inc({ outcome: 'stored' }, written.stored);
  deps.metrics.pollAnswers.inc({ outcome: 'changed' }, written.changed);
  deps.metrics.pollAnswers.inc({ outcome: 'duplicate' }, duplicates);
  return { received, stored: written.stored, changed: written.changed, duplicates };
};
