import type { Adapter, AdapterPayload } from 'oidc-provider';

/** Most artifacts (sessions, codes, tokens, clients) kept per kind; the oldest goes first. */
const MAX_ENTRIES = 10_000;

interface Entry {
  payload: AdapterPayload;
  expiresAt: number;
}

/**
 * oidc-provider's storage, in this process's memory, bounded: what its quick-start adapter is, without the warning it
 * prints (the dev gateway's sign-ins are not meant to outlive it).
 */
export function memoryAdapterFactory(): (name: string) => Adapter {
  const stores = new Map<string, Map<string, Entry>>();
  return (name) => {
    let store = stores.get(name);
    if (!store) stores.set(name, (store = new Map()));
    const entries = store;
    const live = (id: string): Entry | undefined => {
      const entry = entries.get(id);
      if (entry && entry.expiresAt <= Date.now()) {
        entries.delete(id);
        return undefined;
      }
      return entry;
    };
    const each = (match: (payload: AdapterPayload) => boolean): AdapterPayload | undefined => {
      for (const [id] of entries) {
        const entry = live(id);
        if (entry && match(entry.payload)) return entry.payload;
      }
      return undefined;
    };
    return {
      async upsert(id, payload, expiresIn) {
        entries.delete(id);
        entries.set(id, { payload, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : Number.POSITIVE_INFINITY });
        if (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value as string);
      },
      async find(id) {
        return live(id)?.payload;
      },
      async findByUserCode(userCode) {
        return each((payload) => payload.userCode === userCode);
      },
      async findByUid(uid) {
        return each((payload) => payload.uid === uid);
      },
      async consume(id) {
        const entry = live(id);
        if (entry) entry.payload.consumed = Math.floor(Date.now() / 1000);
      },
      async destroy(id) {
        entries.delete(id);
      },
      async revokeByGrantId(grantId) {
        for (const [id, entry] of entries) if (entry.payload.grantId === grantId) entries.delete(id);
      },
    };
  };
}
