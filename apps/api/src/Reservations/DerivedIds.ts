// Deterministic ids: the same request (actor, Idempotency-Key, reservation, SKU) always maps to the
// same reservation and command ids, so a retry, from any instance, hits the actor's command-id memory
// and JetStream's Nats-Msg-Id dedupe instead of acting twice.
import { createHash } from 'node:crypto';
import { CommandId, ReservationId } from '@larder/domain';

const digest = (text: string, chars: number) => createHash('sha256').update(text).digest('base64url').slice(0, chars);

/** A short, stable tag of who asked (66 bits), so ids chosen by different clients never collide. */
export const actorTag = (actor: string) => digest(actor, 11);

/**
 * Parts joined with ":" (callers let at most one part, the client's, contain one, so the parts can
 * be read back); past the 200 characters a command id may hold, a hash of the same text.
 */
export const derivedId = (...parts: ReadonlyArray<string>): CommandId => {
  const joined = parts.join(':');
  return CommandId.make(joined.length <= 200 ? joined : `h:${digest(joined, 43)}`);
};

/**
 * The reservation id the API picks when the client names none: from the caller and its key (132
 * bits). A generation above 0 is the next id to try once an earlier attempt's hold was released.
 */
export const derivedReservationId = (actor: string, idempotencyKey: string, generation: number): ReservationId =>
  reservationIdOf(keyDigestOf(actor, idempotencyKey), generation);

/**
 * The caller and its Idempotency-Key as one KV-safe token (22 base64url characters of SHA-256, 132
 * bits): the key of the POST's record, and the body of the reservation id derived from it.
 */
export const keyDigestOf = (actor: string, key: string) => digest(`${actor}\n${key}`, 22);

/** The reservation id of a key digest's `generation`-th attempt. */
export const reservationIdOf = (keyDigest: string, generation: number): ReservationId =>
  ReservationId.make(`r_${keyDigest}${generation === 0 ? '' : `-${generation}`}`);

/** Which attempt of its key a derived reservation id is (0 for a client-chosen one). */
export const generationOf = (reservationId: string) => Number(/-(\d+)$/.exec(reservationId)?.[1] ?? 0);
