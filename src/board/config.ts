import { z } from 'zod';

/** The board's own settings (the Temporal connection is read like the worker's, by src/client). */
export const BoardEnvSchema = z.object({
  BOARD_PORT: z.coerce
    .number({ message: 'BOARD_PORT must be a port number such as 8234 (0 turns the board off in npm start)' })
    .int('BOARD_PORT must be a whole port number such as 8234')
    .min(0, 'BOARD_PORT must be 0 (off) or a port from 1 to 65535')
    .max(65_535, 'BOARD_PORT must be 0 (off) or a port from 1 to 65535')
    .default(8234),
  BOARD_HOST: z
    .string()
    .regex(/^[A-Za-z0-9.:_-]+$/, 'BOARD_HOST must be a host name or IP address such as 127.0.0.1 or 0.0.0.0')
    .default('127.0.0.1'),
  /** Where the board's links to workflows point. */
  TEMPORAL_UI_URL: z.url({ message: 'TEMPORAL_UI_URL must be a URL such as http://localhost:8233' }).optional(),
  BOARD_REFRESH_MS: z.coerce
    .number({ message: 'BOARD_REFRESH_MS must be milliseconds such as 3000' })
    .int()
    .min(500, 'BOARD_REFRESH_MS must be at least 500')
    .max(600_000, 'BOARD_REFRESH_MS must be at most 600000')
    .default(3000),
});
export type BoardEnv = z.infer<typeof BoardEnvSchema>;

export function readBoardEnv(env: NodeJS.ProcessEnv = process.env): BoardEnv {
  const parsed = BoardEnvSchema.safeParse(env);
  if (!parsed.success) throw new Error(parsed.error.issues.map((issue) => issue.message).join('; '));
  return parsed.data;
}
