// @larder/inventory-actors: shard runners and per-SKU actors. The runner program is exported for
// tests and tools; `main.ts` is the process entry point.
export { runRunner, startRunner } from './Runner.js';
export { RunnerConfig } from './Config/RunnerConfig.js';
export { defaultActorPolicy, type ActorPolicy } from './Config/ActorPolicy.js';
