// The services an actor loads and writes a SKU through (Journal on the fixture's JetStream,
// SnapshotStore on its Postgres schema), for tests that load or write a SKU like a runner without one.
import { makeJetStreamPublisher, ProcessId } from '@larder/messaging';
import { makeOrmConfig } from '@larder/persistence';
import { MikroORM } from '@mikro-orm/postgresql';
import { nuid } from '@nats-io/transport-node';
import { makeJetStreamJournal } from '../../src/Journal/JetStreamJournal.js';
import type { Journal } from '../../src/Journal/Journal.js';
import { makePostgresSnapshotStore } from '../../src/Snapshot/PostgresSnapshotStore.js';
import type { SnapshotStore } from '../../src/Snapshot/SnapshotStore.js';
import type { RunnerFixture } from './RunnerFixture.js';

export interface ActorServices {
  readonly journal: Journal['Type'];
  readonly snapshots: SnapshotStore['Type'];
  readonly close: () => Promise<void>;
}

/** Needs the schema migrated: open it after a runner of the fixture has started once. */
export const openActorServices = async (f: RunnerFixture): Promise<ActorServices> => {
  const url = f.env['DATABASE_URL'];
  const schema = f.env['LARDER_DB_SCHEMA'];
  if (url === undefined || schema === undefined) throw new Error('the fixture has no DATABASE_URL or LARDER_DB_SCHEMA');
  const orm = await MikroORM.init(makeOrmConfig({ url, schema }));
  const publisher = makeJetStreamPublisher(f.nc, {
    inboxPrefix: f.names.inbox.prefix(ProcessId.make(`services-${nuid.next()}`)),
    timeoutMs: 5_000,
  });
  const journal = makeJetStreamJournal({ names: f.names, jsm: f.jsm, publisher });
  const snapshots = makePostgresSnapshotStore(orm);
  return {
    journal,
    snapshots,
    close: async () => {
      publisher.close();
      await orm.close(true);
    },
  };
};
