import { cases } from './giphy.cases.js';
import { runResolverCases } from './harness.js';

runResolverCases('GIPHY', cases);
