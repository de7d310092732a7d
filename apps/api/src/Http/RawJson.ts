// A JSON request body handed to its route as the bytes received, unparsed (App.ts gives routes declared
// with `rawBody` a parser of their own): a signed webhook checks its signature over exactly these bytes
// before it reads them. Serialises as a marker, like CsvUpload.
import { Either, Schema } from 'effect';

export class RawJson {
  constructor(readonly bytes: Buffer) {}
  /** The bytes read as JSON, or the parser's message. */
  parse(): Either.Either<unknown, string> {
    try {
      const parsed: unknown = JSON.parse(this.bytes.toString('utf8'));
      return Either.right(parsed);
    } catch (error) {
      return Either.left(error instanceof Error ? error.message : String(error));
    }
  }
  toJSON() {
    return 'application/json (raw bytes)';
  }
}

export const RawJsonBody = Schema.instanceOf(RawJson, { message: () => 'send the body as application/json' });
