import { cases } from './imgur.cases.js';
import { runResolverCases } from './harness.js';

runResolverCases('Imgur', cases);
