import type { Db } from './database';

/** Label name <-> id, created on first use. */
export class LabelTable {
  private readonly ids = new Map<string, number>();
  private readonly insert;
  private readonly find;

  constructor(private readonly db: Db) {
    for (const row of db.prepare('SELECT id, name FROM labels').all() as { id: number; name: string }[]) {
      this.ids.set(row.name, row.id);
    }
    // Another writer (an import committing in batches beside this one) may add the same
    // name at any time, so adding never assumes it is the first.
    this.insert = db.prepare('INSERT INTO labels (name) VALUES (?) ON CONFLICT(name) DO NOTHING');
    this.find = db.prepare('SELECT id FROM labels WHERE name = ?').pluck();
  }

  idFor(name: string): number {
    let id = this.ids.get(name);
    if (id === undefined) {
      this.insert.run(name);
      id = this.find.get(name) as number;
      this.ids.set(name, id);
    }
    return id;
  }

  /** Forget ids created inside a transaction that was rolled back. */
  reload(): void {
    this.ids.clear();
    for (const row of this.db.prepare('SELECT id, name FROM labels').all() as { id: number; name: string }[]) {
      this.ids.set(row.name, row.id);
    }
  }
}
