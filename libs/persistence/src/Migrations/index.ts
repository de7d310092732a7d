// The hand-kept list of migrations, oldest first. Add each new `Migration<timestamp>.ts` here:
// no glob discovery, because umzug's native `import()` of `.ts` fails under vitest (see TOOLCHAIN.md §4).
import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261126182146 } from './Migration20261126182146.js';
import { Migration20261126190252 } from './Migration20261126190252.js';
import { Migration20261207112500 } from './Migration20261207112500.js';
import { Migration20261214090000 } from './Migration20261214090000.js';
import { Migration20261220100000 } from './Migration20261220100000.js';
import { Migration20261221090000 } from './Migration20261221090000.js';
import { Migration20261222090000 } from './Migration20261222090000.js';
import { Migration20261223090000 } from './Migration20261223090000.js';

export const migrationsList: ReadonlyArray<MigrationObject> = [
  { name: 'Migration20261126182146', class: Migration20261126182146 },
  { name: 'Migration20261126190252', class: Migration20261126190252 },
  { name: 'Migration20261207112500', class: Migration20261207112500 },
  { name: 'Migration20261214090000', class: Migration20261214090000 },
  { name: 'Migration20261220100000', class: Migration20261220100000 },
  { name: 'Migration20261221090000', class: Migration20261221090000 },
  { name: 'Migration20261222090000', class: Migration20261222090000 },
  { name: 'Migration20261223090000', class: Migration20261223090000 },
];
