import { runResolverCases } from './harness.js';
import { cases } from './unsplash.cases.js';

runResolverCases('Unsplash', cases);
