// CommonJS consumer: node app.cjs <gatewayUrl> <apiKey>
const sark = require('@sark/gateway');

import('./exercise.mjs')
  .then(({ exercise }) => exercise(sark, process.argv[2], process.argv[3]))
  .then(console.log, (error) => {
    console.error(error);
    process.exitCode = 1;
  });
