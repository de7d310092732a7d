// The route both reservation baselines of issue 5 serve, `POST /reserve` `{sku, qty}`: 201 when the
// stock was decremented, 409 when it was not enough. Fastify 5, no auth, no metrics, no logging.
import Fastify, { type FastifyInstance } from 'fastify';

export const ReservePath = '/reserve';

interface ReserveBody {
  readonly sku: string;
  readonly qty: number;
}

const bodySchema = {
  type: 'object',
  required: ['sku', 'qty'],
  additionalProperties: false,
  properties: { sku: { type: 'string', minLength: 1, maxLength: 64 }, qty: { type: 'integer', minimum: 1 } },
};

/** `reserve` resolves true when it decremented the stock, false when there was not enough. */
export const startReserveServer = async (port: number, reserve: (sku: string, qty: number) => Promise<boolean>): Promise<FastifyInstance> => {
  const app = Fastify({ logger: false });
  app.post<{ Body: ReserveBody }>(ReservePath, { schema: { body: bodySchema } }, async (request, reply) => {
    const { sku, qty } = request.body;
    const held = await reserve(sku, qty);
    return reply.code(held ? 201 : 409).send({ sku, qty, held });
  });
  await app.listen({ host: '127.0.0.1', port });
  return app;
};
