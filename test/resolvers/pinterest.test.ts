import { cases } from './pinterest.cases.js';
import { runResolverCases } from './harness.js';

runResolverCases('Pinterest', cases);
