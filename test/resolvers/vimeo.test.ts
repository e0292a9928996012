import { cases } from './vimeo.cases.js';
import { runResolverCases } from './harness.js';

runResolverCases('Vimeo', cases);
