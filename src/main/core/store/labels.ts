import type { Db } from './database';

/** Label name <-> id, created on first use. */
export class LabelTable {
  private readonly ids = new Map<string, number>();
  private readonly insert;

  constructor(private readonly db: Db) {
    for (const row of db.prepare('SELECT id, name FROM labels').all() as { id: number; name: string }[]) {
      this.ids.set(row.name, row.id);
    }
    this.insert = db.prepare('INSERT INTO labels (name) VALUES (?)');
  }

  idFor(name: string): number {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = Number(this.insert.run(name).lastInsertRowid);
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
