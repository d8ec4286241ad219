#!/usr/bin/env node
// The CLI's launcher. It is committed (the CLI itself is built into dist/) so that the bin exists when pnpm links it
// at install time, before the first build.
import '../dist/cli.js';
