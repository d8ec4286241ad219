// Plain JavaScript so both the TypeScript test stubs and the .mjs benchmarks can use it.

/**
 * Resolves when the response can take more data or is gone (listeners removed either way).
 * @param {import('node:http').ServerResponse} res
 * @returns {Promise<void>}
 */
export function drained(res) {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
