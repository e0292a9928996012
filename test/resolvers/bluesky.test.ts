import { cases } from './bluesky.cases.js';
import { runResolverCases } from './harness.js';

runResolverCases('Bluesky', cases);
