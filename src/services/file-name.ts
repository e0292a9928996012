import type { DetectedType } from '../media/types.js';

const MAX_NAME_BYTES = 255;
/** Extensions people use for the same type; any of them is kept as it is. */
const ALIASES: Record<string, readonly string[]> = {
  jpg: ['jpg', 'jpeg', 'jpe', 'jfif'],
  mov: ['mov', 'qt'],
};
/** What looks like an extension we should replace rather than append to (`.aspx`, `.html`, `.jpeg`). */
const EXTENSION_LIKE = /^[a-z0-9]{1,4}$/i;

function truncateUtf8(text: string, maxBytes: number): string {
  let out = '';
  let bytes = 0;
  for (const char of text) {
    const size = Buffer.byteLength(char);
    if (bytes + size > maxBytes) break;
    out += char;
    bytes += size;
  }
  return out;
}

/**
 * The media name: the hint's last path segment, stripped of control characters and
 * characters that break file systems or headers, at most 255 bytes, with an extension that
 * matches the detected type. Without a usable hint: `<type>-<id>.<ext>`.
 */
export function safeFileName(hint: string | null, detected: DetectedType, id: number): string {
  const lastSegment = (hint ?? '').split(/[/\\]/).pop() ?? '';
  const cleaned = lastSegment
    .normalize('NFC')
    // Control characters (C0, DEL, C1), bidi overrides, and characters Windows or headers reject.
    .replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069"*:<>?|]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\.+/, '')
    .trim();

  const dot = cleaned.lastIndexOf('.');
  let base = cleaned;
  let ext = '';
  if (dot > 0) {
    ext = cleaned.slice(dot + 1);
    base = cleaned.slice(0, dot);
  }
  const accepted = ALIASES[detected.ext] ?? [detected.ext];
  let finalExt = detected.ext;
  if (ext && accepted.includes(ext.toLowerCase())) finalExt = ext;
  else if (ext && !EXTENSION_LIKE.test(ext)) base = cleaned;
  base = base.replace(/[.\s]+$/, '');
  if (base.length === 0) base = `${detected.type}-${id}`;

  const suffix = `.${finalExt}`;
  return `${truncateUtf8(base, MAX_NAME_BYTES - Buffer.byteLength(suffix)).replace(/[.\s]+$/, '')}${suffix}`;
}
