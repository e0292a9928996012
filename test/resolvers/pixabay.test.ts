import { cases } from './pixabay.cases.js';
import { runResolverCases } from './harness.js';

runResolverCases('Pixabay', cases);
