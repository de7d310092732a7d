// A `text/csv` request body, handed to its route unread (App.ts registers the parser): imports parse
// it as it streams and enforce their own size limit. Serialises as a marker, so the request fingerprint
// of an idempotent route never tries to serialise the socket.
import type { Readable } from 'node:stream';
import { Schema } from 'effect';

export class CsvUpload {
  constructor(readonly stream: Readable) {}
  toJSON() {
    return 'text/csv (streamed)';
  }
}

export const CsvUploadBody = Schema.instanceOf(CsvUpload, {
  message: () => 'send the file with Content-Type: text/csv',
  jsonSchema: { type: 'string', contentMediaType: 'text/csv', description: 'a CSV file with a header row' },
}).annotations({ identifier: 'CsvFile' });
