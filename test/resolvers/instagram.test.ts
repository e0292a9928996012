import { cases } from './instagram.cases.js';
import { runResolverCases } from './harness.js';

runResolverCases('Instagram', cases);
