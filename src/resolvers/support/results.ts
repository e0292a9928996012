export { cleanText } from '../page/json-ld.js';
import type { Attribution, MediaCandidate, ResolveContext, ResolveFailure, ResolveFailureCode, ResolveResult } from '../types.js';

export function found(candidates: readonly MediaCandidate[]): ResolveResult {
  return { ok: true, candidates };
}

export function fail(code: ResolveFailureCode, message: string): ResolveFailure {
  return { ok: false, code, message };
}

/**
 * The site answered in a shape this resolver does not understand: the site changed, or the
 * resolver has a bug. Either way an operator must hear of it, so it is logged as an error with
 * what was wrong, and the user gets `resolver_failed`.
 */
export function unexpected(context: ResolveContext, what: string, detail?: unknown): ResolveFailure {
  context.log.error({ detail }, `resolver: unexpected answer: ${what}`);
  return fail('resolver_failed', `The site answered in a shape Intake does not understand (${what}).`);
}

/** The skip for a source that needs a key this Intake has not been given. */
export function notConfigured(label: string, variable: string): ResolveFailure {
  return fail('not_configured', `${label} needs an API key: set ${variable}.`);
}

/** `unsplash-abc.jpg`, or `bluesky-3k2a-2` for the second of several items. The extension comes from the bytes. */
export function itemName(resolverId: string, id: string, index = 0, total = 1): string {
  const clean = id.replace(/[^A-Za-z0-9_-]+/g, '_').slice(0, 100);
  return total > 1 ? `${resolverId}-${clean}-${index + 1}` : `${resolverId}-${clean}`;
}

/** An attribution, or null when the source names nobody. Empty strings count as absent. */
export function attribution(fields: {
  author?: string | null | undefined;
  author_url?: string | null | undefined;
  source: string;
  page_url?: string | null | undefined;
}): Attribution {
  const text = (value: string | null | undefined) => (value && value.trim() !== '' ? value.trim() : null);
  return { author: text(fields.author), author_url: text(fields.author_url), source: fields.source, page_url: text(fields.page_url) };
}
