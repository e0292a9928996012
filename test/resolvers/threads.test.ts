import { cases } from './threads.cases.js';
import { runResolverCases } from './harness.js';

runResolverCases('Threads', cases);
