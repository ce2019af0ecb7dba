import { openDatabase, type Db } from '../../src/main/core/store/database';

/** Opens the project file, runs `work` on it and closes it again, also when `work` throws. */
export function withDb<T>(file: string, work: (db: Db) => T): T {
  const db = openDatabase(file);
  try {
    return work(db);
  } finally {
    db.close();
  }
}
