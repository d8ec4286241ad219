import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineSplitter } from '../src/line-splitter';

function split(chunks: Buffer[], max = 1 << 20) {
  const lines: string[] = [];
  let oversized = 0;
  const splitter = new LineSplitter(max, {
    onLine: (line) => lines.push(line.toString('utf8')),
    onOversized: () => oversized++,
  });
  for (const chunk of chunks) splitter.push(chunk);
  return { lines, oversized };
}

function cut(bytes: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let start = 0;
  for (const point of points) {
    chunks.push(bytes.subarray(start, point));
    start = point;
  }
  chunks.push(bytes.subarray(start));
  return chunks;
}

describe('LineSplitter', () => {
  it('any sequence of NDJSON messages split at arbitrary byte boundaries comes back whole and in order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.jsonValue(), { maxLength: 20 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        (values, cuts) => {
          const text = values.map((v) => `${JSON.stringify(v)}\n`).join('');
          const { lines } = split(cut(Buffer.from(text, 'utf8'), cuts));
          expect(lines.map((line) => JSON.parse(line) as unknown)).toEqual(
            values.map((v) => JSON.parse(JSON.stringify(v)) as unknown),
          );
        },
      ),
    );
  });

  it('handles many messages per chunk and one message over many chunks', () => {
    expect(split([Buffer.from('a\nb\nc\n')]).lines).toEqual(['a', 'b', 'c']);
    const bytes = Buffer.from('{"long":"message"}\n');
    expect(split([...bytes].map((b) => Buffer.from([b]))).lines).toEqual(['{"long":"message"}']);
  });

  it('drops a line over the limit, also when it arrives in pieces, and goes on', () => {
    expect(split([Buffer.from('x'.repeat(20) + '\nok\n')], 10)).toEqual({ lines: ['ok'], oversized: 1 });
    expect(split([Buffer.from('x'.repeat(8)), Buffer.from('x'.repeat(8)), Buffer.from('x\nfine\n')], 10)).toEqual({
      lines: ['fine'],
      oversized: 1,
    });
  });

  it('joins a 10 MiB line split into 64 KiB chunks in linear time', () => {
    const line = Buffer.alloc(10 * 1024 * 1024, 0x61);
    const chunks: Buffer[] = [];
    for (let i = 0; i < line.length; i += 65536) chunks.push(line.subarray(i, i + 65536));
    chunks.push(Buffer.from('\n'));
    const { lines } = split(chunks, 64 * 1024 * 1024);
    expect(lines[0]?.length).toBe(line.length);
  });
});
