import type { FleetProvider } from '../platform/provider';
import type { Logger } from '../logging/logger';
import type { NotificationSink } from '../notify/sink';
import type { ReleaseDirectory } from './release-directory';
import type { SwapDirectory } from './swap-directory';
import type { FreezeCalendar } from '../domain/freeze/calendar';

/** What activities need from the outside world, injected so tests can pass a real fleet at any URL. */
export interface ActivityDeps {
  fleet: FleetProvider;
  logger: Logger;
  /** Other swaps as Temporal knows them; default: through the worker's client (the activity context's). */
  swaps?: SwapDirectory;
  /** The freeze calendar as of now (see src/config/freeze-calendar.ts); default: no freezes. */
  freezeCalendar?: () => Promise<FreezeCalendar>;
  /** Where release notifications go (README, "Notifications"); none: releases notify nothing. */
  notifySinks?: readonly NotificationSink[];
  /** Other releases as Temporal's visibility knows them; default: through the worker's client. */
  releases?: ReleaseDirectory;
}
