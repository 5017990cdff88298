// Test photos as a phone makes them, with libvips' command line and exiftool (both from Debian):
// colour noise of a given size (noise compresses like a detailed photo does), saved as JPEG or
// PNG, then the metadata a phone writes: the camera was turned (orientation 6), the GPS position
// where it was taken, the photographer's name. And what exiftool finds in a file afterwards.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'datenwerk-fotos-'));
let made = 0;

// A photo file; returns its path. `gps`: [lat, lon] written into EXIF (JPEG only).
export function makePhoto({ width = 1600, height = 1200, format = 'jpg', quality = 90, sigma = 40, gps, artist } = {}) {
  const n = ++made;
  const grey = join(dir, `${n}-grey.v`);
  const colour = join(dir, `${n}-colour.v`);
  const out = join(dir, `${n}.${format}`);
  execFileSync('vips', ['gaussnoise', grey, String(width), String(height), '--mean', '128', '--sigma', String(sigma)]);
  execFileSync('vips', ['bandjoin', `${grey} ${grey} ${grey}`, join(dir, `${n}-bands.v`)]);
  execFileSync('vips', ['copy', join(dir, `${n}-bands.v`), colour, '--interpretation', 'srgb']);
  if (format === 'png') execFileSync('vips', ['pngsave', colour, out]);
  else execFileSync('vips', ['jpegsave', colour, out, '--Q', String(quality)]);
  if (format === 'jpg' && (gps || artist)) {
    const tags = ['-overwrite_original', '-Orientation#=6'];
    if (gps) {
      tags.push(`-GPSLatitude=${gps[0]}`, `-GPSLatitudeRef=${gps[0] >= 0 ? 'N' : 'S'}`,
        `-GPSLongitude=${gps[1]}`, `-GPSLongitudeRef=${gps[1] >= 0 ? 'E' : 'W'}`);
    }
    if (artist) tags.push(`-Artist=${artist}`);
    execFileSync('exiftool', [...tags, out]);
  }
  return out;
}

// exiftool's view of `bytes`: every tag by group ("GPS:GPSLatitude", "IFD0:Artist", …).
export function metadataOf(bytes) {
  const file = join(dir, `check-${++made}.jpg`);
  writeFileSync(file, bytes);
  return JSON.parse(execFileSync('exiftool', ['-j', '-a', '-G1', file], { encoding: 'utf8' }))[0];
}

// The groups a published photo may have: what exiftool says about the file and the JPEG itself.
export const harmlessGroups = new Set(['ExifTool', 'System', 'File', 'JFIF', 'Composite', 'SourceFile']);

export const readPhoto = (path) => readFileSync(path);
