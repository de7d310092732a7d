// The environment that turns an API instance's admission control off (ADR 0013), for tests that start
// API instances: they count the answers of many concurrent requests exactly, and on a busy test machine
// a `503 overloaded` would depend on the neighbours, not on the code under test.
// apps/api/test/Http/Admission.int.test.ts tests the shedding itself.
export const ApiWithoutShedding: Readonly<Record<string, string>> = {
  LARDER_SHED_EVENT_LOOP_UTILIZATION: '0',
  LARDER_SHED_EVENT_LOOP_DELAY_MS: '0',
};
