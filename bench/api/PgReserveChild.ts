// Baseline (b) of issue 5 as a child process: `POST /reserve` as a Postgres row lock — one transaction
// (conditional UPDATE, then a ledger INSERT) on a pool of PgPoolSize connections to BASE_SCHEMA.
import pg from 'pg';
import { PgPoolSize, safeSchema } from './ReserveBaselineStore.js';
import { startReserveServer } from './ReserveRoute.js';

const schema = safeSchema(process.env['BASE_SCHEMA'] ?? '');
const pool = new pg.Pool({ connectionString: process.env['DATABASE_URL'], max: PgPoolSize });
const decrement = `update "${schema}".stock set available = available - $2 where sku = $1 and available >= $2`;
const record = `insert into "${schema}".ledger (sku, qty) values ($1, $2)`;

const reserve = async (sku: string, qty: number): Promise<boolean> => {
  const client = await pool.connect();
  try {
    await client.query('begin');
    const updated = await client.query(decrement, [sku, qty]);
    if (updated.rowCount !== 1) {
      await client.query('rollback');
      return false;
    }
    await client.query(record, [sku, qty]);
    await client.query('commit');
    return true;
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
};

const app = await startReserveServer(Number(process.env['PORT']), reserve);
process.stdout.write(`${JSON.stringify({ level: 30, msg: 'baseline-pg ready' })}\n`);
process.once('SIGTERM', () => void app.close().then(() => pool.end()).then(() => process.exit(0)));
