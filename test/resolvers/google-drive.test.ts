import { cases } from './google-drive.cases.js';
import { runResolverCases } from './harness.js';

runResolverCases('Google Drive', cases);
