// Which operations paths the API and the runner serve, read from their sources (the deploy tests may
// not import the apps), so probes and healthchecks can only name a path that exists.
import { readRepoFile } from './RepoFiles.js';

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whether apps/api/src/Routes/OpsRoutes.ts declares `openRoute('<path>', …)`. */
export const apiServes = (path: string): boolean =>
  path !== '' && new RegExp(`openRoute\\(\\s*'${escape(path)}'`).test(readRepoFile('apps/api/src/Routes/OpsRoutes.ts'));

/** Whether the runner's metrics server (apps/inventory-actors/src/Observability/MetricsServer.ts) answers `<path>`. */
export const runnerServes = (path: string): boolean =>
  path !== '' && new RegExp(`path === '${escape(path)}'`).test(readRepoFile('apps/inventory-actors/src/Observability/MetricsServer.ts'));
