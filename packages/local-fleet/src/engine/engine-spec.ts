import { z } from 'zod';
import { FaultSchema } from '../faults';

/** Everything an engine instance needs to know, handed over by the daemon at start. */
export const EngineSpecSchema = z
  .object({
    instanceId: z.string().min(1),
    accountId: z.string().min(1),
    version: z.string().min(1),
    lineage: z.string().min(1),
    useCases: z.array(z.string().min(1)).min(1),
    initMs: z.number().int().min(0),
    fault: FaultSchema.optional(),
  })
  .strict();

export type EngineSpec = z.output<typeof EngineSpecSchema>;

/** Engine-to-daemon messages over the IPC channel of an engine process. */
export type EngineMessage = { type: 'listening'; port: number } | { type: 'ready' } | { type: 'fatal'; error: string };

export interface EngineStats {
  inFlight: number;
  served: number;
  ready: boolean;
  promoted: boolean;
}
