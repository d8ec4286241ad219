import { randomUUID } from 'node:crypto';
import { chmod, mkdir, readFile, rename, writeFile, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { checkString } from '@sark/core/internal';
import { OAuthError } from '../oauth-error';
import type { StoredValue, TokenStore } from '../token-store';

/** Largest store file read (a file grown past it is refused, not parsed). */
const MAX_FILE_BYTES = 1024 * 1024;
/** Most entries the file keeps; the oldest goes first. */
const MAX_ENTRIES = 256;

/**
 * Tokens in one JSON file, readable by its owner only (`0600`, its folder `0700`), replaced atomically on every
 * change (written beside it, then renamed) so that a crash never leaves half a file. For command-line tools: a sign-in
 * outlives the process. Changes are made one at a time within a process.
 */
export class FileTokenStore implements TokenStore {
  readonly #path: string;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(path: string) {
    this.#path = checkString(path, 'path');
  }

  async get(key: string): Promise<StoredValue | undefined> {
    await this.#queue;
    const entries = await this.#read();
    return Object.hasOwn(entries, key) ? entries[key] : undefined;
  }

  set(key: string, value: StoredValue): Promise<void> {
    return this.#change((entries) => {
      delete entries[key];
      entries[key] = value;
      const keys = Object.keys(entries);
      for (const old of keys.slice(0, Math.max(0, keys.length - MAX_ENTRIES))) delete entries[old];
    });
  }

  delete(key: string): Promise<void> {
    return this.#change((entries) => {
      delete entries[key];
    });
  }

  #change(edit: (entries: Record<string, StoredValue>) => void): Promise<void> {
    const next = this.#queue.then(async () => {
      const entries = await this.#read();
      edit(entries);
      await this.#write(entries);
    });
    this.#queue = next.catch(() => undefined);
    return next;
  }

  async #read(): Promise<Record<string, StoredValue>> {
    let text: string;
    try {
      text = await readFile(this.#path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw error;
    }
    if (text.length > MAX_FILE_BYTES) {
      throw new OAuthError({ error: 'store_unreadable', message: `The token file is over ${MAX_FILE_BYTES} bytes` });
    }
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
      return Object.assign(Object.create(null) as Record<string, StoredValue>, parsed);
    } catch {
      throw new OAuthError({ error: 'store_unreadable', message: 'The token file is not a JSON object' });
    }
  }

  async #write(entries: Record<string, StoredValue>): Promise<void> {
    await mkdir(dirname(this.#path), { recursive: true, mode: 0o700 });
    const temporary = `${this.#path}.${randomUUID()}.tmp`;
    try {
      await writeFile(temporary, JSON.stringify(entries), { mode: 0o600, flag: 'wx' });
      await chmod(temporary, 0o600);
      await rename(temporary, this.#path);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }
}
