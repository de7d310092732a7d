// Public door of @larder/messaging: every wire name (subjects, streams, buckets, headers), shard
// placement, the SKU check at the wire, the versioned JSON codecs of every NATS message, and the
// read-only views operators share (shard ownership, INV_DLQ).
export { HeaderNames, type HeaderName } from './Names/HeaderNames.js';
export { InvalidSubject } from './Names/InvalidSubject.js';
export { makeNames, type Names, type NamesOptions, type StreamNames } from './Names/Names.js';
export { DefaultNamespace, Namespace, NamespacePattern } from './Names/Namespace.js';
export { ProcessId } from './Names/ProcessId.js';
export { StockEventKind, StockEventKinds } from './Names/StockEventKind.js';
export { PublicEventType, PublicEventTypes, publicEventFilter, publicEventTypeOf } from './Names/PublicEventType.js';
export type { SubjectAddress } from './Names/SubjectParser.js';

export { fnv1a32, Fnv1a32OffsetBasis, Fnv1a32Prime } from './Sharding/Fnv1a.js';
export { allShards, DefaultShards, MaxShards, Shard, Shards, shardOf } from './Sharding/Shard.js';

export { InvalidSku } from './Sku/InvalidSku.js';
export { parseSku } from './Sku/ParseSku.js';

export { CommandMessage, decodeCommandMessage, encodeCommandMessage } from './Codec/CommandMessage.js';
export { DeadLetter, decodeDeadLetter, encodeDeadLetter, HeaderKey } from './Codec/DeadLetter.js';
export { DecodeError } from './Codec/DecodeError.js';
export { decodeEventBatch, encodeEventBatch, EventBatch } from './Codec/EventBatch.js';
export { headerValue, MaxHeaderValueLength } from './Codec/HeaderValue.js';
export { JournalSequence } from './Codec/JournalSequence.js';
export { type JsonCodec, type JsonCodecOptions, makeJsonCodec, MaxReasonLength } from './Codec/JsonCodec.js';
export { decodeReplyBatch, encodeReplyBatch, ReplyBatch, ReplyItem } from './Codec/ReplyBatch.js';
export {
  AcceptedOutcome,
  RejectedOutcome,
  ReplyLevels,
  ReplyOutcome,
  ReservationStatus,
  ReservationView,
  RetryOutcome,
  RetryReason,
  RetryReasons,
} from './Codec/ReplyOutcome.js';
export { decodeRequestBatch, encodeRequestBatch, ItemId, RequestBatch, RequestItem } from './Codec/RequestBatch.js';
export { decodeStockPublicEvent, encodeStockPublicEvent, StockEventScope, StockPublicEvent } from './Codec/StockPublicEvent.js';
export * from './Codec/DropPublicEvent.js';
export * from './Codec/LotPublicEvent.js';
export { decodeNotifyPublicEvent, encodeNotifyPublicEvent, NotifyEventKind, notifyMessageId, NotifyPublicEvent } from './Codec/NotifyPublicEvent.js';
export { CurrentWireVersion, WireVersion } from './Codec/WireVersion.js';

export { decodePubAck, type PubAck, type PubAckFailure, WrongLastSequence } from './Nats/PubAck.js';
export { type JetStreamPublisher, type JetStreamPublisherOptions, makeJetStreamPublisher } from './Nats/JetStreamPublisher.js';
export { makeRequestClient, type RequestClient, type RequestClientOptions, type RequestFailure } from './Nats/RequestClient.js';
export { defaultTopologyOptions, ensureTopology, RequestRecordTtlMs, streamConfigs, WebhookDeadLettersPerEndpoint, WebhookLogPerEndpoint, type TopologyOptions } from './Nats/Topology.js';
export { probeRunner, type RunnerLiveness } from './Nats/RunnerProbe.js';
export { readStored, type ReadStoredOptions } from './Nats/ReadStored.js';
export * from './Codec/StockView.js';
export * from './Codec/CatalogueRecord.js';
export { publicJsonSchemas, renderJsonSchema } from './Codec/PublicJsonSchemas.js';
export {
  acquireLarderConnection,
  describeNatsSecurity,
  MaxPingsOutstanding,
  natsSecurityOptions,
  PingIntervalMs,
} from './Nats/LarderConnection.js';
export { NatsConfig, NatsSecurityConfig, type NatsAuth, type NatsSecurity, type NatsTls } from './Names/NatsConfig.js';
export {
  decodeRunnerMember,
  decodeShardLease,
  encodeRunnerMember,
  encodeShardLease,
  RunnerMember,
  ShardLease,
} from './Codec/ShardLease.js';
export { AuditSummary, MaxOversoldSkusListed, OversoldSku } from './Codec/AuditSummary.js';
export { attemptLeaseCall, LeaseCallTimeout, leaseCallTimedOut, LeaseStoreError, withinLeaseCall } from './Ownership/LeaseCall.js';
export { type HeldLease, type LeaseReader, makeLeaseReader, UnreadableLeaseHolder } from './Ownership/LeaseReader.js';
export { byRunner, type OwnershipSnapshot, readOwnership, shardsOf } from './Ownership/OwnershipSnapshot.js';
export { OrphanLease, RunnerReport, RunnersReport, runnersReport } from './Ownership/RunnersReport.js';
export { type DeadLetterReads, type ListedDeadLetter, listDeadLetters, replayDeadLetters, ReplayResult } from './DeadLetters/DeadLetterTool.js';
export { DeadLetterEntry, deadLetterEntry, ReadableDeadLetterEntry, UnreadableDeadLetterEntry } from './DeadLetters/DeadLetterEntry.js';
export {
  decodeRunnerControl,
  decodeRunnerControlReply,
  encodeRunnerControl,
  encodeRunnerControlReply,
  RunnerControl,
  RunnerControlReply,
} from './Codec/RunnerControl.js';
export { contextOfTraceParent, TraceParent, traceParentOf } from './Tracing/TraceParent.js';
export { SpanNames, type SpanName } from './Tracing/SpanNames.js';
export {
  commandSpanAttributes,
  recordFailure,
  recordOutcome,
  SpanAttributeNames,
  type MessagingOperation,
} from './Tracing/CommandSpanAttributes.js';
export { startTracing, type TracingContext } from './Tracing/StartTracing.js';
export { TracingConfig, type SamplerName, type TracingSettings } from './Tracing/TracingConfig.js';
export { channelAvailableAt, channelViewOf } from './Views/ChannelAvailability.js';
export { decodeStoredAvailability, encodeStoredAvailability, PendingAnnouncement, StoredAvailability } from './Codec/AvailabilityRecord.js';
