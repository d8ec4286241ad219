import { describe, expect, it } from 'vitest';
import { readBodyExcerpt, readBodyPrefix } from '../src/internal';

const encoder = new TextEncoder();

/** A body of `chunks`, then an error when `failAfter` is set; `state.cancelled` tells whether it was cancelled. */
function body(chunks: string[], failAfter = false) {
  const state = { cancelled: false, pulled: 0 };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = chunks[state.pulled++];
      if (next !== undefined) controller.enqueue(encoder.encode(next));
      else if (failAfter) controller.error(new Error('connection reset'));
      else controller.close();
    },
    cancel() {
      state.cancelled = true;
    },
  });
  return { stream, state };
}

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe('readBodyPrefix', () => {
  it('joins the chunks of a body within the bound; a body of exactly maxBytes is whole', async () => {
    const { stream, state } = body(['abc', 'def', 'gh']);
    const prefix = await readBodyPrefix(stream, 8);
    expect({ text: text(prefix.bytes), truncated: prefix.truncated, received: prefix.received }).toEqual({
      text: 'abcdefgh',
      truncated: false,
      received: 8,
    });
    expect(state.cancelled).toBe(false);
  });

  it('stops at the chunk that crosses the bound, keeps exactly maxBytes, and cancels the rest unread', async () => {
    const { stream, state } = body(['abcd', 'efghij', 'never read']);
    const prefix = await readBodyPrefix(stream, 6);
    expect(text(prefix.bytes)).toBe('abcdef');
    expect(prefix).toMatchObject({ truncated: true, received: 10 });
    expect(state.cancelled).toBe(true);
    expect(state.pulled).toBeLessThan(3);
  });

  it('rejects when the body fails, unless asked to keep what was read', async () => {
    await expect(readBodyPrefix(body(['abc'], true).stream, 100)).rejects.toThrow('connection reset');
    const kept = await readBodyPrefix(body(['abc'], true).stream, 100, true);
    expect(text(kept.bytes)).toBe('abc');
    expect(kept.truncated).toBe(false);
  });

  it('reads no body as empty', async () => {
    const prefix = await readBodyPrefix(null, 10);
    expect(prefix).toMatchObject({ truncated: false, received: 0 });
    expect(prefix.bytes.length).toBe(0);
  });
});

describe('readBodyExcerpt', () => {
  it('is the text of the first maxBytes, truncated when the body went on', async () => {
    expect(await readBodyExcerpt(body(['{"detail":', '"too many requests"}']).stream, 12)).toEqual({
      text: '{"detail":"t',
      truncated: true,
    });
    expect(await readBodyExcerpt(body(['short'], true).stream)).toEqual({ text: 'short', truncated: false });
  });
});
