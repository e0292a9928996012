import { Parser } from 'htmlparser2';

/**
 * The text of every `<script>` whose attributes pass `accept`, in document order: where sites
 * keep the data their pages are built from (`__NEXT_DATA__`, `store-cache`, `data-sjs`, …).
 * Attribute names arrive lower-cased and values entity-decoded. Linear in the page; never throws.
 */
export function scriptTexts(html: string, accept: (attributes: Readonly<Record<string, string>>) => boolean): string[] {
  const out: string[] = [];
  let capture: string[] | null = null;
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (name === 'script' && accept(attributes)) capture = [];
      },
      ontext(data) {
        capture?.push(data);
      },
      onclosetag(name) {
        if (name !== 'script' || capture === null) return;
        out.push(capture.join(''));
        capture = null;
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  parser.end();
  return out;
}

/** The first `<script id="…">`'s text parsed as JSON, or undefined (absent or not JSON). */
export function jsonScriptById(html: string, id: string): unknown {
  const text = scriptTexts(html, (a) => a.id === id)[0];
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * The page's text outside scripts and styles, at most the first 10,000 text runs: for telling a
 * page's own "not available" notice from the same words sitting in its scripts as translations.
 */
export function visibleText(html: string): string {
  const out: string[] = [];
  let hidden = 0;
  const parser = new Parser(
    {
      onopentag(name) {
        if (name === 'script' || name === 'style') hidden += 1;
      },
      onclosetag(name) {
        if (name === 'script' || name === 'style') hidden -= 1;
      },
      ontext(text) {
        if (hidden === 0 && out.length < 10_000) out.push(text);
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.write(html);
  parser.end();
  return out.join('');
}
