import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const RecentFile = z.array(z.object({ path: z.string(), openedAt: z.string() }));
export type RecentProjects = z.infer<typeof RecentFile>;

/** The recent-projects list, a small JSON file in the user's data folder. */
export class RecentProjectsStore {
  private readonly file: string;

  constructor(dataDir: string) {
    this.file = path.join(dataDir, 'recent-projects.json');
  }

  list(): RecentProjects {
    try {
      const parsed = RecentFile.safeParse(JSON.parse(fs.readFileSync(this.file, 'utf8')));
      return parsed.success ? parsed.data.filter((entry) => fs.existsSync(entry.path)) : [];
    } catch {
      return [];
    }
  }

  touch(projectPath: string): void {
    const entries = [
      { path: projectPath, openedAt: new Date().toISOString() },
      ...this.list().filter((entry) => entry.path !== projectPath),
    ].slice(0, 12);
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const temp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(temp, JSON.stringify(entries, null, 2));
    fs.renameSync(temp, this.file);
  }
}
