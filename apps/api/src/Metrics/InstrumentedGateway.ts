// The command gateway, timed: how long the API waited for the write path on each path (a shard
// owner's answer on the request path, JetStream's ack on INV_CMD) and how each command ended.
import { Either } from 'effect';
import type { CommandGateway } from '../Commands/CommandGateway.js';
import type { Metrics } from './Metrics.js';

const resultOf = (answer: Awaited<ReturnType<CommandGateway['send']>>): string =>
  Either.match(answer, {
    onRight: (outcome) => outcome._tag.toLowerCase(),
    onLeft: (failure) => (failure._tag === 'NoResponders' ? 'no_owner' : failure._tag.toLowerCase()),
  });

export const instrumentGateway = (gateway: CommandGateway, metrics: Metrics): CommandGateway => {
  const requestTime = metrics.commandDuration.labels('request');
  const storeTime = metrics.commandDuration.labels('inv_cmd');
  const stored = metrics.commands.labels('inv_cmd', 'stored');
  const failed = metrics.commands.labels('inv_cmd', 'failed');
  return {
    send: async (command) => {
      const started = performance.now();
      const answer = await gateway.send(command);
      requestTime.observe((performance.now() - started) / 1000);
      metrics.commands.inc({ path: 'request', result: resultOf(answer) });
      return answer;
    },
    enqueue: async (command) => {
      const started = performance.now();
      try {
        await gateway.enqueue(command);
        stored.inc();
      } catch (error) {
        failed.inc();
        throw error;
      } finally {
        storeTime.observe((performance.now() - started) / 1000);
      }
    },
  };
};
