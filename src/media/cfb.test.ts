import * as CFB from 'cfb';
import { describe, expect, it } from 'vitest';
import { listCfbRootEntries, MAX_CFB_SECTOR_READS } from './cfb.js';
import { UnsupportedContentError, type ReadRange } from './types.js';

const END_OF_CHAIN = 0xfffffffe;
const FAT_SECTOR = 0xfffffffd;
const FREE = 0xffffffff;
const NO_STREAM = 0xffffffff;

/** A compound file written by SheetJS's `cfb`, an implementation independent of ours. */
function written(streams: Record<string, Buffer>): Buffer {
  const container = CFB.utils.cfb_new();
  for (const [path, content] of Object.entries(streams)) CFB.utils.cfb_add(container, path, content);
  return CFB.write(container, { type: 'buffer' }) as Buffer;
}

/** Reads over a buffer and counts calls, the way storage would serve the stored file. */
function rangeOver(file: Buffer): ReadRange & { calls: number } {
  const read = Object.assign(
    (offset: number, length: number) => {
      read.calls += 1;
      return Promise.resolve(Buffer.from(file.subarray(offset, offset + length)));
    },
    { calls: 0 },
  );
  return read;
}

const list = (file: Buffer) => listCfbRootEntries(rangeOver(file), file.length);

interface HeaderFields {
  fatCount: number;
  dirStart: number;
  /** The header's FAT sector slots, from the first. */
  fat: number[];
  difatStart?: number;
  difatCount?: number;
}

/**
 * A hand-laid compound file for the shapes `cfb` never writes (4096-byte sectors, a DIFAT chain)
 * and for broken ones. Sector `id` starts at (id + 1) * sectorSize. Sparse: sectors never written
 * read as zeros, so a file of thousands of sectors costs only the few that matter.
 */
function rawCfb(shift: 9 | 12, sectorCount: number) {
  const sectorSize = 1 << shift;
  const size = (sectorCount + 1) * sectorSize;
  const header = Buffer.alloc(512);
  Buffer.from('d0cf11e0a1b11ae1', 'hex').copy(header, 0);
  header.writeUInt16LE(0x3e, 24);
  header.writeUInt16LE(shift === 9 ? 3 : 4, 26);
  header.writeUInt16LE(0xfffe, 28);
  header.writeUInt16LE(shift, 30);
  header.writeUInt16LE(6, 32);
  header.writeUInt32LE(4096, 56);
  header.writeUInt32LE(END_OF_CHAIN, 60);
  for (let slot = 0; slot < 109; slot += 1) header.writeUInt32LE(FREE, 76 + slot * 4);
  const sectors = new Map<number, Buffer>();
  const sector = (id: number) => {
    let bytes = sectors.get(id);
    if (!bytes) sectors.set(id, (bytes = Buffer.alloc(sectorSize)));
    return bytes;
  };
  const bytes = () => {
    const file = Buffer.alloc(size);
    header.copy(file, 0);
    for (const [id, content] of sectors) content.copy(file, (id + 1) * sectorSize);
    return file;
  };
  const read = Object.assign(
    (offset: number, length: number) => {
      read.calls += 1;
      const out = Buffer.alloc(Math.max(0, Math.min(length, size - offset)));
      const place = (content: Buffer, start: number) => {
        const lo = Math.max(start, offset);
        const hi = Math.min(start + content.length, offset + out.length);
        if (lo < hi) content.copy(out, lo - offset, lo - start, hi - start);
      };
      place(header, 0);
      for (const [id, content] of sectors) place(content, (id + 1) * sectorSize);
      return Promise.resolve(out);
    },
    { calls: 0 },
  );
  return {
    size,
    read,
    bytes,
    sector,
    header: (fields: HeaderFields) => {
      header.writeUInt32LE(fields.fatCount, 44);
      header.writeUInt32LE(fields.dirStart, 48);
      fields.fat.forEach((id, slot) => header.writeUInt32LE(id, 76 + slot * 4));
      header.writeUInt32LE(fields.difatStart ?? END_OF_CHAIN, 68);
      header.writeUInt32LE(fields.difatCount ?? 0, 72);
    },
    /** Sets the FAT entry of sector `id` to `next`. */
    link: (id: number, next: number) => {
      const perSector = sectorSize / 4;
      const fatIndex = Math.floor(id / perSector);
      const fatId = fatIndex < 109 ? header.readUInt32LE(76 + fatIndex * 4) : undefined;
      if (fatId === undefined || fatId === FREE) throw new Error(`FAT sector #${fatIndex} is not in the header`);
      sector(fatId).writeUInt32LE(next, (id % perSector) * 4);
    },
    entry: (
      dirSector: number,
      index: number,
      e: { name: string; type: number; left?: number; right?: number; child?: number },
    ) => {
      const at = sector(dirSector).subarray(index * 128, index * 128 + 128);
      at.fill(0);
      at.write(e.name, 0, 'utf16le');
      at.writeUInt16LE((e.name.length + 1) * 2, 64);
      at[66] = e.type;
      at.writeUInt32LE(e.left ?? NO_STREAM, 68);
      at.writeUInt32LE(e.right ?? NO_STREAM, 72);
      at.writeUInt32LE(e.child ?? NO_STREAM, 76);
    },
  };
}

type Raw = ReturnType<typeof rawCfb>;
const listRaw = (raw: Raw) => listCfbRootEntries(raw.read, raw.size);

/** Sector 0 is the FAT, sector 1 the directory: root → WordDocument (left: 1Table). */
function smallRaw(shift: 9 | 12): Raw {
  const raw = rawCfb(shift, 2);
  raw.header({ fatCount: 1, dirStart: 1, fat: [0] });
  raw.sector(0).fill(0xff);
  raw.link(0, FAT_SECTOR);
  raw.link(1, END_OF_CHAIN);
  raw.entry(1, 0, { name: 'Root Entry', type: 5, child: 1 });
  raw.entry(1, 1, { name: 'WordDocument', type: 2, left: 2 });
  raw.entry(1, 2, { name: '1Table', type: 2 });
  return raw;
}

/**
 * Sectors 0..109 are FAT (128 ids each), sector 110 the one DIFAT sector, which lists FAT
 * sector #109: the first that is not in the header's 109 slots. The directory sits at `dir`.
 */
function difatRaw(dir: number): Raw {
  const raw = rawCfb(9, dir + 1);
  const fat = Array.from({ length: 109 }, (_, i) => i);
  raw.header({ fatCount: 110, dirStart: dir, fat, difatStart: 110, difatCount: 1 });
  const difat = raw.sector(110).fill(0xff);
  difat.writeUInt32LE(109, 0);
  difat.writeUInt32LE(END_OF_CHAIN, 127 * 4);
  raw.sector(109).fill(0xff);
  raw.entry(dir, 0, { name: 'Root Entry', type: 5, child: 1 });
  raw.entry(dir, 1, { name: 'PowerPoint Document', type: 2 });
  return raw;
}

async function expectDamaged(listing: Promise<unknown>) {
  await expect(listing).rejects.toBeInstanceOf(UnsupportedContentError);
  await expect(listing).rejects.toThrow(/structure is damaged/);
}

describe('listCfbRootEntries', () => {
  it.each([
    ['Word', { WordDocument: Buffer.alloc(6000, 1), '1Table': Buffer.alloc(300, 2) }, 'WordDocument'],
    ['PowerPoint', { 'PowerPoint Document': Buffer.alloc(9000), 'Current User': Buffer.alloc(60) }, 'PowerPoint Document'],
    ['Excel', { Workbook: Buffer.alloc(5000, 1) }, 'Workbook'],
  ])('lists the root streams of a %s file written by cfb', async (_kind, streams, main) => {
    const entries = await list(written(streams));
    expect(entries).toContainEqual({ name: main, kind: 'stream' });
    expect(entries.map((e) => e.name)).toEqual(expect.arrayContaining(Object.keys(streams)));
  });

  it('does not descend into sub-storages (a workbook embedding a Word document stays a workbook)', async () => {
    const entries = await list(
      written({ Workbook: Buffer.alloc(5000, 1), 'MBD0001/WordDocument': Buffer.alloc(5000, 3) }),
    );
    expect(entries).toContainEqual({ name: 'MBD0001', kind: 'storage' });
    expect(entries.map((e) => e.name)).not.toContain('WordDocument');
  });

  it.each([9, 12] as const)('reads hand-laid files with sector shift %i (512 and 4096 bytes)', async (shift) => {
    await expect(listRaw(smallRaw(shift))).resolves.toEqual(
      expect.arrayContaining([
        { name: 'WordDocument', kind: 'stream' },
        { name: '1Table', kind: 'stream' },
      ]),
    );
  });

  it('finds FAT sectors through the DIFAT chain, reading only the sectors it needs', async () => {
    const raw = difatRaw(14000);
    raw.sector(109).writeUInt32LE(END_OF_CHAIN, (14000 % 128) * 4);
    await expect(listRaw(raw)).resolves.toEqual([{ name: 'PowerPoint Document', kind: 'stream' }]);
    // Header, DIFAT sector, FAT sector #109, directory sector: not the whole 110-sector FAT.
    expect(raw.read.calls).toBe(4);
  });

  describe('refuses malformed files after bounded work', () => {
    it('a directory chain that loops back on itself', async () => {
      const raw = smallRaw(9);
      raw.link(1, 1);
      await expectDamaged(listRaw(raw));
      // Stopped at the first repeat (header, directory sector, FAT sector), not at the read cap.
      expect(raw.read.calls).toBe(3);
    });

    it('a directory chain through a sector beyond the end of the file', async () => {
      const raw = smallRaw(9);
      raw.link(1, 5000);
      await expectDamaged(listRaw(raw));
    });

    it('a directory chain ending in a free sector', async () => {
      const raw = smallRaw(9);
      raw.link(1, FREE);
      await expectDamaged(listRaw(raw));
    });

    it('a first directory sector that is a reserved id', async () => {
      const raw = smallRaw(9);
      raw.header({ fatCount: 1, dirStart: 0xfffffffb, fat: [0] });
      await expectDamaged(listRaw(raw));
    });

    it('a FAT sector id out of range', async () => {
      const raw = smallRaw(9);
      raw.header({ fatCount: 1, dirStart: 1, fat: [0x7fffffff] });
      await expectDamaged(listRaw(raw));
    });

    it('an absurd FAT sector count', async () => {
      const raw = smallRaw(9);
      raw.header({ fatCount: 0xffffffff, dirStart: 1, fat: [0] });
      await expectDamaged(listRaw(raw));
    });

    it('a DIFAT chain that loops', async () => {
      // FAT sector #300 would be in the third DIFAT sector; the first links to itself.
      const dir = 300 * 128;
      const raw = difatRaw(dir);
      const fat = Array.from({ length: 109 }, (_, i) => i);
      raw.header({ fatCount: 301, dirStart: dir, fat, difatStart: 110, difatCount: 3 });
      raw.sector(110).writeUInt32LE(110, 127 * 4);
      await expectDamaged(listRaw(raw));
      // Header, directory sector, the DIFAT sector once.
      expect(raw.read.calls).toBe(3);
    });

    it('a directory tree whose siblings form a cycle', async () => {
      const raw = smallRaw(9);
      raw.entry(1, 2, { name: '1Table', type: 2, right: 1 });
      await expectDamaged(listRaw(raw));
    });

    it('a directory tree pointing at a missing entry', async () => {
      const raw = smallRaw(9);
      raw.entry(1, 2, { name: '1Table', type: 2, right: 40 });
      await expectDamaged(listRaw(raw));
    });

    it('a directory chain longer than the read cap', async () => {
      // Sectors 0..9 are FAT (1280 ids); 10.. form one long chain of valid directory sectors.
      const fatSectors = 10;
      const chain = MAX_CFB_SECTOR_READS + 200;
      const raw = rawCfb(9, fatSectors + chain);
      const fat = Array.from({ length: fatSectors }, (_, i) => i);
      raw.header({ fatCount: fatSectors, dirStart: fatSectors, fat });
      for (const id of fat) raw.sector(id).fill(0xff);
      for (let id = fatSectors; id < fatSectors + chain; id += 1) raw.link(id, id + 1);
      raw.link(fatSectors + chain - 1, END_OF_CHAIN);
      raw.entry(fatSectors, 0, { name: 'Root Entry', type: 5 });
      await expectDamaged(listRaw(raw));
      // Header + capped sector reads, nothing more.
      expect(raw.read.calls).toBeLessThanOrEqual(MAX_CFB_SECTOR_READS + 1);
    });

    it('a file shorter than its header, or with another signature', async () => {
      const file = smallRaw(9).bytes();
      await expectDamaged(list(file.subarray(0, 300)));
      file[0] = 0;
      await expectDamaged(list(file));
    });
  });
});
