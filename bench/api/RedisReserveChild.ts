// Baseline (c) of issue 5 as a child process: `POST /reserve` as one Redis Lua script that decrements
// `<BASE_PREFIX>stock:<sku>` only when it holds enough (EVALSHA through ioredis `defineCommand`).
import { Redis, type Result } from 'ioredis';
import { redisBaselineKey } from './ReserveBaselineStore.js';
import { startReserveServer } from './ReserveRoute.js';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    /** KEYS: the stock counter. ARGV: qty. The remaining stock, or -1 when it was not enough. */
    benchReserve(key: string, qty: number): Result<unknown, Context>;
  }
}

const ReserveLua = `
local available = tonumber(redis.call('GET', KEYS[1]) or '0')
local qty = tonumber(ARGV[1])
if available < qty then return -1 end
return redis.call('DECRBY', KEYS[1], qty)
`;

const prefix = process.env['BASE_PREFIX'] ?? '';
if (prefix.length === 0) throw new Error('BASE_PREFIX is not set');
const redis = new Redis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');
redis.defineCommand('benchReserve', { numberOfKeys: 1, lua: ReserveLua });

const reserve = async (sku: string, qty: number): Promise<boolean> => {
  const left = await redis.benchReserve(redisBaselineKey(prefix, sku), qty);
  return typeof left === 'number' && left >= 0;
};

const app = await startReserveServer(Number(process.env['PORT']), reserve);
process.stdout.write(`${JSON.stringify({ level: 30, msg: 'baseline-redis ready' })}\n`);
process.once('SIGTERM', () => void app.close().then(() => redis.quit()).then(() => process.exit(0)));
