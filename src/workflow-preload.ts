/**
 * What every workflow run shares, evaluated once per worker thread before any run starts (see
 * src/workflow-bundle.ts): zod. It is referenced, not just imported, because webpack drops an
 * unused import of a package that declares no side effects, and zod does.
 *
 * Zod sets its defaults (the English messages, the parse memoizer) in its global config when the
 * first schema is built or parsed. Here that happens before the SDK freezes what was preloaded;
 * after it, a run would fail to set them ("object is not extensible").
 */
import * as zod from 'zod';

zod.z.object({ warmUp: zod.z.array(zod.z.enum(['defaults'])) }).safeParse({ warmUp: ['defaults', 'unset'] });

export const sharedLibraries = { zod };
