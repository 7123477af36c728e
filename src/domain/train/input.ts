/**
 * The weekly release train: its workflow type, the Temporal Schedule that fires it, its input and
 * its result. Names are spelled here only; scripts reach them through src/client.
 */
import { z } from 'zod';
import { DAY, durationWithin, ReleaseKindSchema } from '../primitives';
import { STAGE_LENGTH } from '../release/input';

export const RELEASE_TRAIN_WORKFLOW = 'releaseTrain';
export const RELEASE_TRAIN_SCHEDULE_ID = 'release-train';

/** Workflow id of one firing's train run (the schedule appends the firing time). */
export const RELEASE_TRAIN_WORKFLOW_ID = 'release-train';

/** Input of `releaseTrain`: the schedule's action gives it; every field has a default. */
export const ReleaseTrainInputSchema = z
  .object({
    /** Time between Day 1, Day 2 and Day 3 of the release the train starts. */
    stageLength: durationWithin(STAGE_LENGTH).default(DAY),
    kind: ReleaseKindSchema.default('minor'),
  })
  .strict();
export type ReleaseTrainInput = z.input<typeof ReleaseTrainInputSchema>;
export type ReleaseTrainParams = z.output<typeof ReleaseTrainInputSchema>;

export type ReleaseTrainResult =
  | { outcome: 'nothing-to-release'; reason: string }
  | { outcome: 'released'; releaseId: string; version: string; stage: string };
