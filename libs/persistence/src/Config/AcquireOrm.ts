// The one way a Larder process opens Postgres: MikroORM on the deployment's schema, migrations
// applied, closed when the scope closes.
import { MikroORM } from '@mikro-orm/postgresql';
import { Effect, Schedule } from 'effect';
import { migrate } from '../Migrations/Migrate.js';
import { makeOrmConfig } from './MakeOrmConfig.js';

const StartupRetry = Schedule.exponential('250 millis').pipe(Schedule.jittered, Schedule.intersect(Schedule.recurs(5)));

export const acquireOrm = (url: string, schema: string) =>
  Effect.gen(function* () {
    const orm = yield* Effect.acquireRelease(
      Effect.tryPromise({
        try: () => MikroORM.init(makeOrmConfig({ url, schema })),
        catch: (error) => new Error(`Postgres is not usable at ${url} (DATABASE_URL): ${String(error)}`),
      }),
      (orm) => Effect.promise(() => orm.close(true)).pipe(Effect.ignore),
    );
    // Runners starting together race on a fresh schema: the loser's migration fails on what the winner
    // created, and a retry then finds every migration applied.
    yield* Effect.tryPromise(() => migrate(orm)).pipe(Effect.retry(StartupRetry));
    return orm;
  });
