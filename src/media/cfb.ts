import { UnsupportedContentError, type ReadRange } from './types.js';

/** A direct child of the root storage of an OLE compound file (MS-CFB). */
export interface CfbEntry {
  readonly name: string;
  readonly kind: 'storage' | 'stream';
}

/**
 * Upper bound on sectors read (DIFAT, FAT and directory together). Real DOC and PPT files need a
 * handful; the bound keeps a hostile file from turning one upload into unbounded reads.
 */
export const MAX_CFB_SECTOR_READS = 1024;

const SIGNATURE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const HEADER_BYTES = 512;
const HEADER_DIFAT_SLOTS = 109;
const MAX_REGULAR_SECTOR = 0xfffffffa;
const END_OF_CHAIN = 0xfffffffe;
const NO_STREAM = 0xffffffff;
const ENTRY_BYTES = 128;
const TYPE_STORAGE = 1;
const TYPE_STREAM = 2;
const TYPE_ROOT = 5;

function damaged(): UnsupportedContentError {
  return new UnsupportedContentError(
    'The file looks like a Microsoft Office document, but its structure is damaged.',
  );
}

interface RawEntry {
  name: string;
  type: number;
  left: number;
  right: number;
  child: number;
}

/**
 * Lists the streams and storages directly under the root of a compound file. Only the root's
 * children say what the file is: a spreadsheet that embeds a Word document keeps that document's
 * `WordDocument` stream inside a sub-storage.
 *
 * Every structure is untrusted: sector ids are range-checked, chains and the directory tree are
 * walked with cycle detection, and reads are capped, so a malformed file ends in
 * `UnsupportedContentError` after bounded work.
 */
export async function listCfbRootEntries(readRange: ReadRange, size: number): Promise<CfbEntry[]> {
  const reader = await CfbReader.open(readRange, size);
  const entries = await reader.directory();
  return rootChildren(entries);
}

class CfbReader {
  private reads = 0;
  private readonly fatSectors = new Map<number, Buffer>();
  /** DIFAT sectors in chain order, filled lazily as far as a FAT lookup needs. */
  private readonly difat: Buffer[] = [];
  private nextDifat: number;
  private readonly seenDifat = new Set<number>();

  private constructor(
    private readonly readRange: ReadRange,
    private readonly header: Buffer,
    private readonly sectorSize: number,
    private readonly sectorCount: number,
  ) {
    this.nextDifat = header.readUInt32LE(68);
  }

  static async open(readRange: ReadRange, size: number): Promise<CfbReader> {
    if (size < HEADER_BYTES) throw damaged();
    const header = await readRange(0, HEADER_BYTES);
    if (header.length < HEADER_BYTES || !header.subarray(0, 8).equals(SIGNATURE)) throw damaged();
    if (header.readUInt16LE(28) !== 0xfffe) throw damaged();
    const shift = header.readUInt16LE(30);
    // Version 3 files use 512-byte sectors, version 4 files 4096; nothing else exists.
    if (shift !== 9 && shift !== 12) throw damaged();
    const sectorSize = 1 << shift;
    // Sector n starts at (n + 1) * sectorSize: the header fills sector "-1". A short last
    // sector is tolerated (some writers do not pad), a missing one is not.
    const sectorCount = Math.ceil(Math.max(0, size - sectorSize) / sectorSize);
    const fatCount = header.readUInt32LE(44);
    const difatCount = header.readUInt32LE(72);
    if (fatCount === 0 || fatCount > sectorCount || difatCount > sectorCount) throw damaged();
    return new CfbReader(readRange, header, sectorSize, sectorCount);
  }

  /** All directory entries, in directory order (entry 0 is the root). */
  async directory(): Promise<RawEntry[]> {
    const entries: RawEntry[] = [];
    const seen = new Set<number>();
    let sector = this.header.readUInt32LE(48);
    while (sector !== END_OF_CHAIN) {
      if (seen.has(sector)) throw damaged();
      seen.add(sector);
      const bytes = await this.readSector(sector);
      for (let at = 0; at + ENTRY_BYTES <= bytes.length; at += ENTRY_BYTES) {
        entries.push(parseEntry(bytes.subarray(at, at + ENTRY_BYTES)));
      }
      sector = await this.next(sector);
    }
    return entries;
  }

  /** The sector after `sector` in its chain, from the FAT. */
  private async next(sector: number): Promise<number> {
    const perSector = this.sectorSize / 4;
    const index = Math.floor(sector / perSector);
    let fat = this.fatSectors.get(index);
    if (!fat) {
      fat = await this.readSector(await this.fatSectorId(index));
      this.fatSectors.set(index, fat);
    }
    return fat.readUInt32LE((sector % perSector) * 4);
  }

  /** Where the `index`-th FAT sector lives: the header's 109 slots, then the DIFAT chain. */
  private async fatSectorId(index: number): Promise<number> {
    if (index >= this.header.readUInt32LE(44)) throw damaged();
    if (index < HEADER_DIFAT_SLOTS) return this.header.readUInt32LE(76 + index * 4);
    // Each DIFAT sector holds sectorSize/4 - 1 ids; its last slot links to the next one.
    const perDifat = this.sectorSize / 4 - 1;
    const rest = index - HEADER_DIFAT_SLOTS;
    const which = Math.floor(rest / perDifat);
    while (this.difat.length <= which) {
      const id = this.nextDifat;
      if (id === END_OF_CHAIN || this.seenDifat.has(id)) throw damaged();
      this.seenDifat.add(id);
      const bytes = await this.readSector(id);
      this.difat.push(bytes);
      this.nextDifat = bytes.readUInt32LE(perDifat * 4);
    }
    const difatSector = this.difat[which];
    if (!difatSector) throw damaged();
    return difatSector.readUInt32LE((rest % perDifat) * 4);
  }

  private async readSector(id: number): Promise<Buffer> {
    if (id > MAX_REGULAR_SECTOR || id >= this.sectorCount) throw damaged();
    this.reads += 1;
    if (this.reads > MAX_CFB_SECTOR_READS) throw damaged();
    const bytes = await this.readRange((id + 1) * this.sectorSize, this.sectorSize);
    if (bytes.length === this.sectorSize) return bytes;
    const padded = Buffer.alloc(this.sectorSize);
    bytes.copy(padded);
    return padded;
  }
}

function parseEntry(bytes: Buffer): RawEntry {
  // The name length counts bytes including the UTF-16 terminator; clamp it to the 64-byte field.
  const nameBytes = Math.min(Math.max(bytes.readUInt16LE(64) - 2, 0), 62) & ~1;
  return {
    name: bytes.toString('utf16le', 0, nameBytes),
    type: bytes[66] ?? 0,
    left: bytes.readUInt32LE(68),
    right: bytes.readUInt32LE(72),
    child: bytes.readUInt32LE(76),
  };
}

/** The root's children form one red-black tree linked by left/right; `child` goes a level down. */
function rootChildren(entries: readonly RawEntry[]): CfbEntry[] {
  const root = entries[0];
  if (!root || root.type !== TYPE_ROOT) throw damaged();
  const children: CfbEntry[] = [];
  const seen = new Set<number>();
  const pending = [root.child];
  for (let id = pending.pop(); id !== undefined; id = pending.pop()) {
    if (id === NO_STREAM) continue;
    const entry = entries[id];
    if (!entry || id === 0 || seen.has(id)) throw damaged();
    seen.add(id);
    if (entry.type !== TYPE_STORAGE && entry.type !== TYPE_STREAM) throw damaged();
    children.push({ name: entry.name, kind: entry.type === TYPE_STREAM ? 'stream' : 'storage' });
    pending.push(entry.left, entry.right);
  }
  return children;
}
