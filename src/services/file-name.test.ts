import { describe, expect, it } from 'vitest';
import type { DetectedType } from '../media/types.js';
import { safeFileName } from './file-name.js';

const png: DetectedType = { mimeType: 'image/png', ext: 'png', type: 'image' };
const jpg: DetectedType = { mimeType: 'image/jpeg', ext: 'jpg', type: 'image' };
const pdf: DetectedType = { mimeType: 'application/pdf', ext: 'pdf', type: 'document' };

describe('safeFileName', () => {
  it.each([
    ['hero.png', png, 'hero.png'],
    ['photo', png, 'photo.png'],
    ['photo.jpg', png, 'photo.png'],
    ['photo.JPEG', jpg, 'photo.JPEG'],
    ['page.aspx', png, 'page.png'],
    ['my.report.final', pdf, 'my.report.final.pdf'],
    ['../../etc/passwd', pdf, 'passwd.pdf'],
    ['C:\\Users\\me\\cat.png', png, 'cat.png'],
    ['a\u0000b\u001fc\u007f.png', png, 'abc.png'],
    ['evil\u202Egnp.exe', png, 'evilgnp.png'],
    ['"quoted" <name>?.png', png, 'quoted name.png'],
    ['   .hidden.png', png, 'hidden.png'],
    ['...', png, 'image-7.png'],
    ['', png, 'image-7.png'],
    [null, pdf, 'document-7.pdf'],
    ['dir/', png, 'image-7.png'],
    ['naïve café.png', png, 'naïve café.png'],
  ])('%j as %s → %j', (hint, detected, expected) => {
    expect(safeFileName(hint, detected, 7)).toBe(expected);
  });

  it('keeps names within 255 bytes without splitting a character', () => {
    const name = safeFileName(`${'é'.repeat(300)}.png`, png, 1);
    expect(Buffer.byteLength(name)).toBeLessThanOrEqual(255);
    expect(name.endsWith('.png')).toBe(true);
    expect(name).not.toContain('\uFFFD');
    expect(Buffer.from(name).toString()).toBe(name);
  });
});
