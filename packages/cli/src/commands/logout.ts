import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { configDir } from '../config-file';
import { start } from '../context';
import type { ActionContext } from '../main';

/** Forgets every sign-in: the stored tokens and client registrations. */
export async function run(context: ActionContext): Promise<void> {
  const { output } = await start(context);
  await rm(join(configDir(), 'tokens.json'), { force: true });
  await rm(join(configDir(), 'login.json'), { force: true });
  output.note('signed out: stored tokens removed');
}
