// One async command on stream INV_CMD (`<ns>.inv.cmd.<shard>.<sku>`), published with
// `Nats-Msg-Id` = command id. Inbound and untrusted: unknown fields refuse the message.
import { Command } from '@larder/domain';
import { Schema } from 'effect';
import { makeJsonCodec } from './JsonCodec.js';
import { WireVersion } from './WireVersion.js';

export const CommandMessage = Schema.Struct({
  v: WireVersion,
  command: Command,
});
export type CommandMessage = typeof CommandMessage.Type;

const codec = makeJsonCodec(CommandMessage, { name: 'CommandMessage', onExcessProperty: 'error', encode: 'plain' });

export const encodeCommandMessage = codec.encode;
export const decodeCommandMessage = codec.decode;
