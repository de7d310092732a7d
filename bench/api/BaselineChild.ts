// Entry point of the baseline server as a child process (its own event loop, as the API has):
// listens on PORT, logs one "baseline ready" line, closes on SIGTERM.
import { startBaselineServer } from './BaselineServer.js';

const app = await startBaselineServer(Number(process.env['PORT']));
process.stdout.write(`${JSON.stringify({ level: 30, msg: 'baseline ready' })}\n`);
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
