import type { FleetProvider } from '../platform/provider';
import type { Logger } from '../logging/logger';
import type { ReleaseDirectory } from './release-directory';
import type { SwapDirectory } from './swap-directory';

/** What activities need from the outside world, injected so tests can pass a real fleet at any URL. */
export interface ActivityDeps {
  fleet: FleetProvider;
  logger: Logger;
  /** Other swaps as Temporal knows them; default: through the worker's client (the activity context's). */
  swaps?: SwapDirectory;
  /** Other releases as Temporal's visibility knows them; default: through the worker's client. */
  releases?: ReleaseDirectory;
}
