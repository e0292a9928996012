import { cases } from './tenor.cases.js';
import { runResolverCases } from './harness.js';

runResolverCases('Tenor', cases);
