// ESM consumer (Node, Bun, Deno): node app.mjs <gatewayUrl> <apiKey>
import * as sark from '@sark/gateway';
import { exercise } from './exercise.mjs';

const args = globalThis.Deno ? globalThis.Deno.args : process.argv.slice(2);
console.log(await exercise(sark, args[0], args[1]));
