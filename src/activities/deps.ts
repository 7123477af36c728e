import type { FleetProvider } from '../platform/provider';
import type { Logger } from '../logging/logger';

/** What activities need from the outside world, injected so tests can pass a real fleet at any URL. */
export interface ActivityDeps {
  fleet: FleetProvider;
  logger: Logger;
}
