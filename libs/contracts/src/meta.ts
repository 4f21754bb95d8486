import { z } from 'zod';

/**
 * The two roles of one product (`CATALYST_MODE`): a mothership provisions Sovereigns; a Sovereign is
 * its own console, BSS and marketplace, and offers no wizard, fleet or "New Sovereign".
 */
export const catalystModes = ['mothership', 'sovereign'] as const;
export const catalystModeSchema = z.enum(catalystModes);
export type CatalystMode = z.infer<typeof catalystModeSchema>;

/** `GET /api/v1/meta` (public): what the SPA needs to know about this Catalyst before anyone signs in. */
export const metaSchema = z.object({ mode: catalystModeSchema });
export type Meta = z.infer<typeof metaSchema>;
