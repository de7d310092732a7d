// DATABASE_URL → MikroORM options: connection fields, the per-schema search_path, migrations from the list.
import { describe, expect, it } from 'vitest';
import { makeOrmConfig } from '../../src/Config/MakeOrmConfig.js';
import { migrationsList } from '../../src/Migrations/index.js';

describe('makeOrmConfig', () => {
  it('defaults to the local development server with no schema', () => {
    const config = makeOrmConfig();
    expect(config).toMatchObject({ host: '127.0.0.1', port: 5432, user: 'postgres', dbName: 'postgres' });
    expect(config).not.toHaveProperty('password');
    expect(config).not.toHaveProperty('schema');
    expect(config).not.toHaveProperty('driverOptions');
  });

  it('maps every part of the URL, decoding escaped characters', () => {
    const config = makeOrmConfig({ url: 'postgres://larder%40app:p%2Fss@db.internal:6543/stock' });
    expect(config).toMatchObject({ host: 'db.internal', port: 6543, user: 'larder@app', password: 'p/ss', dbName: 'stock' });
  });

  it('uses port 5432 when the URL has none, and strips IPv6 brackets', () => {
    expect(makeOrmConfig({ url: 'postgresql://postgres@[::1]/postgres' })).toMatchObject({ host: '::1', port: 5432 });
  });

  it('puts every connection of a schema on that schema via search_path', () => {
    const config = makeOrmConfig({ schema: 't_0a1b2c' });
    expect(config.schema).toBe('t_0a1b2c');
    expect(config.driverOptions).toEqual({ connection: { options: '-c search_path=t_0a1b2c' } });
  });

  it('takes migrations from the hand-kept list, not from a glob', () => {
    const config = makeOrmConfig();
    expect(config.migrations?.migrationsList).toEqual(migrationsList);
    expect(config.migrations?.snapshot).toBe(false);
  });

  it('reads sslmode from the URL into the driver’s ssl option; without it PGSSLMODE decides', () => {
    const driverOf = (url: string) => makeOrmConfig({ url }).driverOptions;
    const base = 'postgresql://larder@db.internal/stock';
    expect(driverOf(base)).toBeUndefined();
    expect(driverOf(`${base}?sslmode=disable`)).toEqual({ connection: { ssl: false } });
    for (const mode of ['require', 'verify-ca', 'verify-full']) expect(driverOf(`${base}?sslmode=${mode}`)).toEqual({ connection: { ssl: true } });
    expect(driverOf(`${base}?sslmode=no-verify`)).toEqual({ connection: { ssl: { rejectUnauthorized: false } } });
    const withSchema = makeOrmConfig({ url: `${base}?sslmode=require`, schema: 't_0a1b2c' });
    expect(withSchema.driverOptions).toEqual({ connection: { options: '-c search_path=t_0a1b2c', ssl: true } });
  });

  it('refuses a URL parameter it would otherwise ignore (a dropped sslmode would mean plain text)', () => {
    expect(() => makeOrmConfig({ url: 'postgresql://larder@db/stock?sslmode=prefer' })).toThrow(/sslmode=prefer is not supported.*use require or disable/);
    expect(() => makeOrmConfig({ url: 'postgresql://larder@db/stock?sslmode=on' })).toThrow(/sslmode=on is not one of/);
    expect(() => makeOrmConfig({ url: 'postgresql://larder@db/stock?ssl=true' })).toThrow(/unsupported parameter\(s\) ssl/);
  });

  it('refuses URLs that are not postgresql://', () => {
    expect(() => makeOrmConfig({ url: 'mysql://root@127.0.0.1/x' })).toThrow(/expected a postgresql:\/\/ URL/);
    expect(() => makeOrmConfig({ url: 'not a url' })).toThrow(/not a URL/);
    expect(() => makeOrmConfig({ url: 'postgresql://127.0.0.1/postgres' })).toThrow();
  });

  it('refuses schema names that could not be put into search_path or DDL safely', () => {
    expect(() => makeOrmConfig({ schema: 'x; drop table y' })).toThrow(/schema must match/);
    expect(() => makeOrmConfig({ schema: 'Upper' })).toThrow(/schema must match/);
  });
});
