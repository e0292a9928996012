import { cases } from './flickr.cases.js';
import { runResolverCases } from './harness.js';

runResolverCases('Flickr', cases);
