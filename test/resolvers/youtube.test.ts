import { cases } from './youtube.cases.js';
import { runResolverCases } from './harness.js';

runResolverCases('YouTube', cases);
