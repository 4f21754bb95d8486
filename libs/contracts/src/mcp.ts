import { z } from 'zod';

/** The most events the MCP tool `tail_deployment_log` returns in one call. */
export const MCP_LOG_TAIL_MAX = 500;

/** How many of a run's last events to read: 1–500, 100 when absent (MCP `tail_deployment_log`). */
export const logTailLinesSchema = z
  .number()
  .int({ message: 'A whole number of events' })
  .min(1, { message: 'At least 1 event' })
  .max(MCP_LOG_TAIL_MAX, { message: `At most ${MCP_LOG_TAIL_MAX} events` })
  .default(100);

/** A run's last events as the MCP tool returns them: the same `{seq, type, time, …}` objects as the SSE `data`. */
export const logTailSchema = z.object({
  deploymentId: z.uuid(),
  lastSeq: z.number().int(),
  events: z.array(z.object({ seq: z.number().int(), type: z.string(), time: z.iso.datetime() }).loose()),
});
export type LogTail = z.infer<typeof logTailSchema>;
