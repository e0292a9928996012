import type { ResolveContext } from '../types.js';
import { type Got, fetchSite } from './api.js';
import { fail } from './results.js';

/**
 * Where a short link (`pin.it/…`, `redd.it/…`, `vm.tiktok.com/…`) leads: the URL that answered
 * after the one client followed its redirects, each hop judged like any URL. The answer's body
 * is read up to a small bound only: the caller matches the URL again, and only accepts it for
 * its own site.
 */
export async function expandShortLink(
  context: ResolveContext,
  url: string | URL,
  label: string,
  options: { headers?: Readonly<Record<string, string>> } = {},
): Promise<Got<{ url: URL; text: string }>> {
  const answer = await fetchSite(context, { url, maxBytes: 64 * 1024, truncate: true, accept: 'text/html, */*;q=0.5', ...options });
  if (!answer.ok) return answer;
  if (answer.status === 404 || answer.status === 410) return fail('not_found', `${label} says this short link leads nowhere.`);
  return { ok: true, value: { url: answer.url, text: answer.text } };
}
