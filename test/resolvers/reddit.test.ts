import { runResolverCases } from './harness.js';
import { cases } from './reddit.cases.js';

runResolverCases('Reddit', cases);
