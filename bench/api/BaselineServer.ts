// Baseline (a) of issue 5: a bare Fastify 5 route that answers a constant, no auth, no metrics,
// no logging: what the HTTP framework alone costs, on the same machine, under the same load.
import Fastify, { type FastifyInstance } from 'fastify';

export const BaselinePath = '/baseline';
const Constant = { status: 'ok' };

export const startBaselineServer = async (port: number): Promise<FastifyInstance> => {
  const app = Fastify({ logger: false });
  app.get(BaselinePath, async () => Constant);
  await app.listen({ host: '127.0.0.1', port });
  return app;
};
