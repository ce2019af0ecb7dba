// Child process of the import benchmark, so that its peak RSS is the import's alone.
import { importSplit } from '../../src/main/core/store/import-split';
import { openDatabase } from '../../src/main/core/store/database';

const [projectPath, filePath, format = 'json'] = process.argv.slice(2) as [string, string, 'json' | 'parquet' | undefined];
const db = openDatabase(projectPath, { create: true });
const started = performance.now();
const result = await importSplit(db, { filePath, split: 'train', format });
const ms = performance.now() - started;
db.close();
process.stdout.write(JSON.stringify({ ms, imported: result.imported, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
