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
