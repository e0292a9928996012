#!/usr/bin/env node
// The CLI entry point: runs the compiled build (made by `npm install` via `prepare`).
import { main } from '../dist/cli/main.js';

await main(process.argv);
