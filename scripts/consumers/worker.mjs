// A Cloudflare worker (run in workerd): each request runs the consumer app against the gateway in its bindings.
import * as sark from '@sark/gateway';
import { exercise } from './exercise.mjs';

export default {
  async fetch(_request, env) {
    try {
      return new Response(await exercise(sark, env.GATEWAY_URL, env.API_KEY));
    } catch (error) {
      return new Response(String(error?.stack ?? error), { status: 500 });
    }
  },
};
