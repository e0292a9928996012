import { cases } from './dropbox.cases.js';
import { runResolverCases } from './harness.js';

runResolverCases('Dropbox', cases);
