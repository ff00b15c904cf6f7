/**
 * The change log file: frames come back as written, a frame cut short or damaged by a crash is
 * cut off at open with everything after it, and the file empties once every writer has
 * written what it logged.
 */
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChangeLog, ErrChangeLog } from './changelog';

const enc = (s: string) => Buffer.from(s);
const text = (b: Uint8Array) => Buffer.from(b).toString();

let dir: string;
let path: string;
const open: ChangeLog[] = [];
const openLog = () => {
  const log = ChangeLog.open(path);
  open.push(log);
  return log;
};
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'changelog-'));
  path = join(dir, 'changes.wal');
});
afterEach(() => {
  for (const log of open.splice(0)) log.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Appends versions from..to, each with a record of writers a and b. */
function fill(log: ChangeLog, from: number, to: number): number[] {
  const ends: number[] = [];
  for (let v = from; v <= to; v++) {
    log.stage(enc('a'), v, enc(`a${v}`));
    if (v % 2 === 0) log.stage(enc('b'), v, enc(`b${v}`.repeat(v)));
    log.append(v);
    ends.push(statSync(path).size);
  }
  return ends;
}

const versionsOf = (log: ChangeLog, id: string) => log.entriesFor(enc(id)).map((e) => e.version);

test('every frame comes back at open, each writer its own records in version order', () => {
  const log = openLog();
  fill(log, 1, 5);
  log.close();
  const again = openLog();
  expect(versionsOf(again, 'a')).toEqual([1, 2, 3, 4, 5]);
  expect(versionsOf(again, 'b')).toEqual([2, 4]);
  expect(again.entriesFor(enc('b')).map((e) => text(e.rec))).toEqual(['b2b2', 'b4b4b4b4']);
  expect(again.entriesFor(enc('nobody'))).toEqual([]);
});

test('a frame cut short by a crash is cut off, the frames before it kept, and appends go on after them', () => {
  const ends = fill(openLog(), 1, 4);
  // Every length between the end of frame 3 and the end of frame 4, short of the whole frame.
  for (let cut = ends[2]; cut < ends[3]; cut += 3) {
    const copy = join(dir, `cut-${cut}.wal`);
    writeFileSync(copy, readFileSync(path).subarray(0, cut));
    const log = ChangeLog.open(copy);
    open.push(log);
    expect(versionsOf(log, 'a')).toEqual([1, 2, 3]);
    expect(statSync(copy).size).toBe(ends[2]);
    log.stage(enc('a'), 4, enc('again'));
    log.append(4);
    log.close();
    const reread = ChangeLog.open(copy);
    open.push(reread);
    expect(reread.entriesFor(enc('a')).map((e) => text(e.rec))).toEqual(['a1', 'a2', 'a3', 'again']);
  }
});

test('a damaged byte or trailing garbage fails the checksum: that frame and what follows are dropped', () => {
  const ends = fill(openLog(), 1, 3);
  const bytes = readFileSync(path);
  bytes[ends[0] + 20] ^= 0x01; // inside frame 2's payload
  writeFileSync(path, bytes);
  expect(versionsOf(openLog(), 'a')).toEqual([1]);
  expect(statSync(path).size).toBe(ends[0]);

  appendFileSync(path, Buffer.from('SKCL not a frame at all'));
  expect(versionsOf(openLog(), 'a')).toEqual([1]);
  expect(statSync(path).size).toBe(ends[0]);
});

test('the file empties once every writer has written what was logged for it, and never before', () => {
  const log = openLog();
  fill(log, 1, 2);
  log.written(enc('a'), 2);
  expect(log.bytes).toBeGreaterThan(0);
  log.written(enc('b'), 1);
  expect(log.bytes).toBeGreaterThan(0);
  // A frame being assembled holds the file too.
  log.stage(enc('a'), 3, enc('a3'));
  log.written(enc('b'), 2);
  expect(log.bytes).toBeGreaterThan(0);
  log.append(3);
  log.written(enc('a'), 3);
  expect(log.bytes).toBe(0);
  expect(statSync(path).size).toBe(0);
  // Appends after the reset start a fresh file.
  fill(log, 4, 4);
  log.close();
  expect(versionsOf(openLog(), 'a')).toEqual([4]);
});

test('misuse is a typed error that logs nothing', () => {
  const log = openLog();
  log.stage(enc('a'), 1, enc('x'));
  expect(() => log.stage(enc('b'), 2, enc('y'))).toThrow(ErrChangeLog.message);
  expect(() => log.append(2)).toThrow(/cannot be logged as version 2/);
  log.discard();
  expect(log.pending).toBe(false);
  fill(log, 1, 1);
  expect(() => fill(log, 1, 1)).toThrow(/version 1 cannot follow version 1/);
  log.discard();
  log.close();
  expect(() => log.append(2)).toThrow(/is closed/);
  expect(versionsOf(openLog(), 'a')).toEqual([1]);
});

test('frames whose versions do not increase are refused at open', () => {
  const first = join(dir, 'first.wal');
  const writer = ChangeLog.open(first);
  writer.stage(enc('a'), 7, enc('x'));
  writer.append(7);
  writer.close();
  const frame = readFileSync(first);
  writeFileSync(path, Buffer.concat([frame, frame]));
  expect(() => ChangeLog.open(path)).toThrow(/version 7 follows version 7/);
  truncateSync(path, frame.length);
  expect(versionsOf(openLog(), 'a')).toEqual([7]);
});
