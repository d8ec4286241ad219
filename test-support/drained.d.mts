import type { ServerResponse } from 'node:http';

/** Resolves when the response can take more data or is gone (listeners removed either way). */
export function drained(res: ServerResponse): Promise<void>;
