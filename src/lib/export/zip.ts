// A store-only ZIP writer (APPNOTE.TXT 6.3.10, sections 4.3 and 4.4): local headers, the central
// directory and its end record, with no compression, so a page can hand an export over as one file
// without a dependency. Python's zipfile, unzip and every desktop archiver read it.
import type { ExportedFile } from './package.ts';

// Every entry carries 1980-01-01 00:00, the earliest MS-DOS date: the same files always zip to the
// same bytes, whenever and wherever they are exported.
const DOS_TIME = 0;
const DOS_DATE = (1 << 5) | 1; // (year − 1980) << 9 | month << 5 | day
const UTF8_NAMES = 1 << 11; // general purpose bit 11: names are UTF-8
const VERSION = 20; // 2.0, the version that reads stored entries in folders
const MADE_BY_UNIX = (3 << 8) | VERSION; // so external attributes hold Unix permissions
const REGULAR_FILE = (0o100644 << 16) >>> 0; // rw-r--r--
const LIMIT = 0xffffffff; // without ZIP64 extensions, sizes and offsets are 32-bit

let crcTable: Uint32Array | null = null;

/** Computes the CRC-32 (ISO 3309, the polynomial 0xEDB88320 reflected) ZIP stores for each entry. */
export function crc32(bytes: Uint8Array): number {
  crcTable ??= Uint32Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = crcTable[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function checkPath(path: string, what: string): void {
  const parts = path.split('/');
  if (path === '' || path.includes('\\') || parts.some((p) => p === '' || p === '.' || p === '..'))
    throw new Error(
      `invalid ${what}: ${JSON.stringify(path)} (expected a relative path with / between non-empty parts, none of them . or ..)`,
    );
}

interface Entry {
  name: Uint8Array;
  data: Uint8Array;
  crc: number;
  offset: number;
}

/**
 * Zips files without compression, each under `folder/` (`model.py` → `resnet18-pytorch/model.py`),
 * in the order given. The output depends on the files and the folder only.
 */
export function zipFiles(files: readonly ExportedFile[], folder: string): Uint8Array<ArrayBuffer> {
  checkPath(folder, 'zip folder');
  const encoder = new TextEncoder();
  const seen = new Set<string>();
  const entries: Entry[] = [];
  let offset = 0;
  for (const file of files) {
    checkPath(file.path, 'zip path');
    if (seen.has(file.path)) throw new Error(`invalid zip path: ${JSON.stringify(file.path)} (given twice)`);
    seen.add(file.path);
    const name = encoder.encode(`${folder}/${file.path}`);
    const data = typeof file.content === 'string' ? encoder.encode(file.content) : file.content;
    entries.push({ name, data, crc: crc32(data), offset });
    offset += 30 + name.length + data.length;
  }
  const directorySize = entries.reduce((sum, e) => sum + 46 + e.name.length, 0);
  if (entries.length > 0xffff || offset + directorySize > LIMIT)
    throw new Error(
      `invalid zip: ${entries.length} files, ${offset + directorySize} bytes (expected at most 65,535 files and 4 GiB)`,
    );

  const out = new Uint8Array(offset + directorySize + 22);
  const view = new DataView(out.buffer);
  let at = 0;
  const u16 = (value: number) => {
    view.setUint16(at, value, true);
    at += 2;
  };
  const u32 = (value: number) => {
    view.setUint32(at, value, true);
    at += 4;
  };
  const bytes = (value: Uint8Array) => {
    out.set(value, at);
    at += value.length;
  };
  // Fields shared by a local header and its central-directory record, from "version needed" on.
  const common = (e: Entry) => {
    u16(VERSION);
    u16(UTF8_NAMES);
    u16(0); // stored
    u16(DOS_TIME);
    u16(DOS_DATE);
    u32(e.crc);
    u32(e.data.length); // compressed size
    u32(e.data.length);
    u16(e.name.length);
    u16(0); // no extra field
  };

  for (const e of entries) {
    u32(0x04034b50); // local file header
    common(e);
    bytes(e.name);
    bytes(e.data);
  }
  for (const e of entries) {
    u32(0x02014b50); // central directory file header
    u16(MADE_BY_UNIX);
    common(e);
    u16(0); // no comment
    u16(0); // disk 0
    u16(0); // internal attributes
    u32(REGULAR_FILE);
    u32(e.offset);
    bytes(e.name);
  }
  u32(0x06054b50); // end of central directory record
  u16(0);
  u16(0);
  u16(entries.length);
  u16(entries.length);
  u32(directorySize);
  u32(offset);
  u16(0); // no comment
  return out;
}
