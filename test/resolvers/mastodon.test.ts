import { runResolverCases } from './harness.js';
import { cases } from './mastodon.cases.js';

runResolverCases('Mastodon', cases);
