import { cases } from './tumblr.cases.js';
import { runResolverCases } from './harness.js';

runResolverCases('Tumblr', cases);
