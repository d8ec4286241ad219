// `pnpm test:drills`: runs every failure drill (or those named on the command line), prints a table per drill, and
// exits non-zero when any did not hold.
import { closeHalfwayDrill } from './close-halfway.mjs';
import { cutAnswersDrill, hangingGatewayDrill, retryAfterDrill } from './gateway-faults.mjs';
import { mcpKillDrill } from './mcp-kill.mjs';
import { opaDownDrill } from './opa-down.mjs';
import { streamRestartDrill } from './stream-restart.mjs';

const DRILLS = {
  'retry-after': retryAfterDrill,
  'cut-answers': cutAnswersDrill,
  'hanging-gateway': hangingGatewayDrill,
  'stream-restart': streamRestartDrill,
  'mcp-kill': mcpKillDrill,
  'opa-down': opaDownDrill,
  'close-halfway': closeHalfwayDrill,
};

const wanted = process.argv.slice(2);
const names = wanted.length === 0 ? Object.keys(DRILLS) : wanted;
let held = 0;
for (const name of names) {
  const drill = DRILLS[name];
  if (!drill) throw new Error(`unknown drill ${name}; known: ${Object.keys(DRILLS).join(', ')}`);
  try {
    if (await drill()) held++;
  } catch (error) {
    console.log(`\ndrill ${name} crashed: ${error instanceof Error ? error.stack : String(error)}`);
  }
}
console.log(`\ndrills: ${held} of ${names.length} held`);
process.exitCode = held === names.length ? 0 : 1;
