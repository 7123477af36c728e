/**
 * `npm run notes -- <releaseId>`: the release's compiled notes (its `releaseNotes` query) as
 * Markdown, or as JSON with --json. Works while the release runs and after it has closed.
 */
import { parseArgs } from 'node:util';
import { connectFromEnv, releases } from '../client';
import { IdSchema } from '../domain/primitives';

const USAGE = 'usage: npm run notes -- <releaseId> [--json]';

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    args: process.argv.slice(2),
    options: { json: { type: 'boolean', default: false } },
    allowPositionals: true,
  });
  const releaseId = IdSchema.safeParse(positionals[0]);
  if (positionals.length !== 1 || !releaseId.success) throw new UsageError(`give one release id\n${USAGE}`);
  const { client, close } = await connectFromEnv(process.env, { connectTimeout: 5_000 });
  try {
    const notes = await releases.notes(releases.getHandle(client, releaseId.data));
    if (values.json) process.stdout.write(`${JSON.stringify(notes, null, 2)}\n`);
    else if (notes.markdown !== undefined) process.stdout.write(notes.markdown);
    else if (notes.error !== undefined) throw new Error(`the notes of ${notes.target} are unavailable: ${notes.error}`);
    else
      throw new Error(
        `release ${releaseId.data} has no compiled notes yet (it is planning, or started before notes were compiled)`,
      );
  } finally {
    await close();
  }
}

class UsageError extends Error {}

main().catch((error: Error) => {
  process.stderr.write(`npm run notes: ${error.message}\n`);
  process.exit(error instanceof UsageError ? 2 : 1);
});
