import fs from 'node:fs';
import path from 'node:path';
import { importSplit } from '../store/import-split';
import { openDatabase } from '../store/database';

export const DEMO_SPLITS = ['train', 'dev', 'test'] as const;

/**
 * Builds the demo project from the shipped synthetic data the first time it is asked for.
 * It is assembled under a temporary name and renamed, so a crash never leaves half a demo.
 */
export async function ensureDemoProject(dataDir: string, resourcesDir: string): Promise<string> {
  const target = path.join(dataDir, 'demo.winnow');
  if (fs.existsSync(target)) return target;
  fs.mkdirSync(dataDir, { recursive: true });
  const temp = path.join(dataDir, `demo.${process.pid}.winnow.tmp`);
  fs.rmSync(temp, { force: true });
  const db = openDatabase(temp, { create: true });
  try {
    for (const split of DEMO_SPLITS) {
      await importSplit(db, { filePath: path.join(resourcesDir, 'demo', `${split}.json`), split, format: 'json' });
    }
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
  for (const suffix of ['-wal', '-shm']) fs.rmSync(temp + suffix, { force: true });
  fs.renameSync(temp, target);
  return target;
}
