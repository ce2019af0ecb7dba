import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Settings } from '../../../shared/domain';

/** User settings (the annotator name recorded with every decision), in the data folder. */
export class SettingsStore {
  private readonly file: string;

  constructor(dataDir: string) {
    this.file = path.join(dataDir, 'settings.json');
  }

  get(): Settings {
    try {
      const parsed = Settings.safeParse(JSON.parse(fs.readFileSync(this.file, 'utf8')));
      if (parsed.success) return parsed.data;
    } catch {
      // Missing or unreadable: fall back to the defaults below.
    }
    return { annotator: process.env.WINNOW_ANNOTATOR || safeUserName() };
  }

  set(settings: Settings): Settings {
    const valid = Settings.parse(settings);
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const temp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(temp, JSON.stringify(valid, null, 2));
    fs.renameSync(temp, this.file);
    return valid;
  }
}

function safeUserName(): string {
  try {
    return os.userInfo().username || 'annotator';
  } catch {
    return 'annotator';
  }
}
