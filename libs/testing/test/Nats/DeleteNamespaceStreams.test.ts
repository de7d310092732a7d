// Which streams namespace cleanup considers its own: plain streams, KV buckets and object stores of the prefix.
import { describe, expect, it } from 'vitest';
import { belongsToNamespace } from '../../src/Nats/DeleteNamespaceStreams.js';

describe('belongsToNamespace', () => {
  it('claims streams (namespace uppercased), KV bucket streams and object store streams of the namespace', () => {
    expect(belongsToNamespace('T_AB12_INV_EVT', 't_ab12')).toBe(true);
    expect(belongsToNamespace('t_ab12_scratch', 't_ab12')).toBe(true);
    expect(belongsToNamespace('KV_t_ab12_stock', 't_ab12')).toBe(true);
    expect(belongsToNamespace('OBJ_t_ab12_files', 't_ab12')).toBe(true);
  });

  it('leaves other namespaces, longer namespaces and unprefixed streams alone', () => {
    expect(belongsToNamespace('T_CD34_INV_EVT', 't_ab12')).toBe(false);
    expect(belongsToNamespace('LARDER2_INV_EVT', 'larder')).toBe(false);
    expect(belongsToNamespace('KV_stock', 't_ab12')).toBe(false);
    expect(belongsToNamespace('INV_EVT', 't_ab12')).toBe(false);
  });
});
