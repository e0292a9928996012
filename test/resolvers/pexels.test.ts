import { cases } from './pexels.cases.js';
import { runResolverCases } from './harness.js';

runResolverCases('Pexels', cases);
