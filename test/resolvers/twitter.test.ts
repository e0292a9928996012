import { cases } from './twitter.cases.js';
import { runResolverCases } from './harness.js';

runResolverCases('X', cases);
