import fs from 'node:fs';
import { parse as parseNpy } from 'npyjs';
import { WinnowError } from '../../../shared/errors';

/** A 2-D float array from a `.npy` file, row-major whatever order the file was written in. */
export interface NumpyMatrix {
  rows: number;
  columns: number;
  /** rows x columns, row-major, as float64 (float32 files are widened exactly). */
  values: Float64Array;
  dtype: 'f4' | 'f8';
}

/**
 * Reads a numpy `.npy` file (format versions 1, 2 and 3, as numpy.save writes them) holding a
 * 2-D float32 or float64 array in C or Fortran order. The header is parsed by npyjs; this adds
 * the checks a user needs: the dtype, the byte order, the shape, and that the data fills it.
 */
export async function readNumpyMatrix(file: string, what: string): Promise<NumpyMatrix> {
  if (!fs.existsSync(file)) throw new WinnowError('NOT_FOUND', `${file}: file not found`);
  const bytes = await fs.promises.readFile(file);
  const fail = (detail: string) => new WinnowError('INVALID_FILE', `${file}: ${detail}`);
  if (bytes.length < 10 || bytes.subarray(0, 6).toString('latin1') !== '\x93NUMPY') throw fail(`not a numpy .npy file (${what} must be saved with numpy.save)`);
  const major = bytes[6]!;
  const headerLength = major <= 1 ? bytes.readUInt16LE(8) : bytes.readUInt32LE(8);
  const headerEnd = (major <= 1 ? 10 : 12) + headerLength;
  if (headerEnd > bytes.length) throw fail('the .npy header is cut short');
  const header = bytes.subarray(major <= 1 ? 10 : 12, headerEnd).toString(major >= 3 ? 'utf8' : 'latin1');
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  if (descr === undefined) throw fail('the .npy header has no dtype (descr)');
  if (descr.startsWith('>')) throw fail(`the array is big-endian (${descr}); save it little-endian, e.g. np.save(path, arr.astype("<f4"))`);
  const code = descr.replace(/^[<|=]/, '');
  if (code !== 'f4' && code !== 'f8') throw fail(`holds ${descr} values; ${what} must be float32 or float64 (arr.astype(np.float32))`);

  // A private copy: npyjs views the buffer with typed arrays, which need the data aligned.
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const width = code === 'f4' ? 4 : 8;
  if ((bytes.length - headerEnd) % width !== 0 || headerEnd % width !== 0) throw fail('the data does not fill whole values (file cut short or header misaligned)');
  let parsed: ReturnType<typeof parseNpy>;
  try {
    parsed = parseNpy(buffer);
  } catch (error) {
    throw fail(`cannot be read as .npy: ${(error as Error).message}`);
  }
  const shape = parsed.shape;
  if (shape.length !== 2) throw fail(`${what} must be a 2-D array (rows x columns); this one has shape (${shape.join(', ')})`);
  const [rows, columns] = shape as [number, number];
  const data = parsed.data as Float32Array | Float64Array;
  if (data.length !== rows * columns) throw fail(`the header says shape (${rows}, ${columns}) = ${rows * columns} values but the file holds ${data.length}`);
  const values = new Float64Array(rows * columns);
  if (parsed.fortranOrder) {
    // Column-major: element (i, j) is at j * rows + i.
    for (let j = 0; j < columns; j++) for (let i = 0; i < rows; i++) values[i * columns + j] = data[j * rows + i]!;
  } else {
    values.set(data);
  }
  return { rows, columns, values, dtype: code };
}
