// The version every wire envelope carries in `v`. A breaking change of a message adds a new
// version beside this one; readers refuse versions they do not know, with a DecodeError.
import { Schema } from 'effect';

export const CurrentWireVersion = 1;

export const WireVersion = Schema.Literal(CurrentWireVersion);
export type WireVersion = typeof WireVersion.Type;
