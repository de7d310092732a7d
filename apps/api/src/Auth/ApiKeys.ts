// API keys, stored hashed (SHA-256 of the key; keys are long random strings, so a fast hash is
// enough), looked up in O(1) and compared in constant time. Configured by LARDER_API_KEYS (JSON)
// or LARDER_API_KEYS_FILE (a JSON file) as [{ name, sha256, scopes }].
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Schema } from 'effect';
import { Scope, type Principal } from './Principal.js';

export const ApiKeyEntry = Schema.Struct({
  name: Schema.String.pipe(Schema.pattern(/^[A-Za-z0-9_-]{1,64}$/)),
  sha256: Schema.String.pipe(Schema.pattern(/^[0-9a-f]{64}$/)),
  scopes: Schema.Array(Scope),
});
export type ApiKeyEntry = typeof ApiKeyEntry.Type;
export const ApiKeyEntries = Schema.Array(ApiKeyEntry);

export const hashApiKey = (key: string) => createHash('sha256').update(key, 'utf8').digest('hex');

/** A new random key (shown once) and the entry to configure for it. */
export const generateApiKey = (name: string, scopes: ReadonlyArray<Scope>) => {
  const key = `lk_${randomBytes(24).toString('base64url')}`;
  return { key, entry: { name, sha256: hashApiKey(key), scopes: [...scopes] } satisfies ApiKeyEntry };
};

/** Keys seen recently → their principal, so the hot path hashes a key once, not per request. */
const MemoSize = 1_024;

export const makeApiKeyVerifier = (entries: ReadonlyArray<ApiKeyEntry>) => {
  const byHash = new Map(entries.map((e) => [e.sha256, e]));
  const memo = new Map<string, Principal>();
  const verify = (presented: string): Principal | undefined => {
    const hash = hashApiKey(presented);
    const entry = byHash.get(hash);
    if (entry === undefined) return undefined;
    // The map lookup found it; the constant-time compare guards against a hash-table timing oracle.
    if (!timingSafeEqual(Buffer.from(hash, 'hex'), Buffer.from(entry.sha256, 'hex'))) return undefined;
    return { actor: `apikey:${entry.name}`, scopes: new Set(entry.scopes) };
  };
  return (presented: string): Principal | undefined => {
    const known = memo.get(presented);
    if (known !== undefined) return known;
    const principal = verify(presented);
    // Only valid keys are remembered, so guessing cannot fill the memo.
    if (principal !== undefined) {
      if (memo.size >= MemoSize) memo.clear();
      memo.set(presented, principal);
    }
    return principal;
  };
};
