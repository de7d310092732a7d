// The domain actor recorded in every event a caller causes, decoded from the authenticated
// principal (a JWT subject with spaces or non-ASCII characters cannot be recorded).
import { Actor } from '@larder/domain';
import { Either, Schema } from 'effect';
import type { Principal } from '../Auth/Principal.js';
import { Problem } from '../Http/Problems.js';

const decodeActor = Schema.decodeUnknownEither(Actor);

export const actorOf = (principal: Principal): Actor => {
  const actor = decodeActor(principal.actor);
  if (Either.isRight(actor)) return actor.right;
  throw new Problem({ type: 'forbidden', detail: 'the credentials name a subject that cannot be recorded as an actor (printable ASCII, at most 200 characters)' });
};
