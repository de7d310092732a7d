// Operator requests to one runner on `<ns>.ops.runner.<processId>` (the `larder` CLI) and its answer:
// drain (hand every shard over, take none) or move one shard to another runner; and `ping`, which other
// runners send to tell a crashed peer (no responders: its NATS connection is gone) from a live one.
import { Schema } from 'effect';
import { ProcessId } from '../Names/ProcessId.js';
import { Shard } from '../Sharding/Shard.js';
import { makeJsonCodec } from './JsonCodec.js';
import { WireVersion } from './WireVersion.js';

export const RunnerControl = Schema.Union(
  Schema.Struct({ v: WireVersion, op: Schema.Literal('drain') }),
  Schema.Struct({ v: WireVersion, op: Schema.Literal('move'), shard: Shard, to: ProcessId }),
  Schema.Struct({ v: WireVersion, op: Schema.Literal('ping') }),
);
export type RunnerControl = typeof RunnerControl.Type;

/** `ok: false` with a reason the operator can act on (not the owner, unknown target…). */
export const RunnerControlReply = Schema.Struct({ v: WireVersion, ok: Schema.Boolean, detail: Schema.String });
export type RunnerControlReply = typeof RunnerControlReply.Type;

const request = makeJsonCodec(RunnerControl, { name: 'RunnerControl', onExcessProperty: 'error' });
const reply = makeJsonCodec(RunnerControlReply, { name: 'RunnerControlReply', onExcessProperty: 'ignore', encode: 'plain' });
export const encodeRunnerControl = request.encode;
export const decodeRunnerControl = request.decode;
export const encodeRunnerControlReply = reply.encode;
export const decodeRunnerControlReply = reply.decode;
