/**
 * @staged-release/local-fleet: the local stand-in for the platform a release is released to. A fleet
 * daemon (control-plane HTTP API, one router per account, engine instances as processes or in
 * process, fault injection per version), its client, and a load generator. It imports nothing from
 * the orchestrator; the orchestrator talks to it over HTTP only.
 */
export { startFleetDaemon, type FleetDaemon, type FleetDaemonOptions } from './daemon';
export type { FleetMode } from './instances/engine-launcher';
export type { RouterHostingKind } from './router-hosting';
export { DEMO_SEED_PATH, loadSeedFile, parseSeed, SeedError } from './seed';
export type { AccountSeedInput, FleetSeed, FleetSeedInput, VersionSpec } from './schemas';
export type { Fault, FaultInput, FaultType } from './faults';
export { LocalFleetClient, FleetApiError } from './client';
export type * from './model';
export {
  runLoad,
  startLoad,
  summarizeLatencies,
  type LatencySummary,
  type LoadOptions,
  type LoadReport,
  type PhaseReport,
  type RunningLoad,
} from './loadgen';
