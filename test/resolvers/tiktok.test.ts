import { runResolverCases } from './harness.js';
import { cases } from './tiktok.cases.js';

runResolverCases('TikTok', cases);
