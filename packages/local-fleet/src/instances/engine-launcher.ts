import type { EngineSpec, EngineStats } from '../engine/engine-spec';

export type FleetMode = 'process' | 'lightweight';

export interface EngineExit {
  /** True when the daemon asked for it (stop or kill); false for a crash or a failed start. */
  requested: boolean;
  /** What happened, for a crash: exit code, signal and the last words on stderr. */
  reason: string;
}

/** A running (or starting) engine instance, whatever hosts it. */
export interface EngineHandle {
  /** Base URL of the instance, once it listens (no trailing slash). */
  readonly url: string | undefined;
  /** OS process id; absent for in-process instances. */
  readonly pid: number | undefined;
  /** Resolves once the instance has listened; rejects when it exits first. */
  readonly listening: Promise<void>;
  /** Resolves when the instance has ended, for whatever reason. */
  readonly exited: Promise<EngineExit>;
  stats(): Promise<EngineStats>;
  setPromoted(promoted: boolean): Promise<void>;
  /** Graceful: no new work, finish in-flight requests, then end; killed if that takes over `graceMs`. */
  stop(graceMs: number): Promise<EngineExit>;
  /** Ends it at once; in-flight requests are cut. */
  kill(): Promise<EngineExit>;
}

export interface LaunchEvents {
  onReady(): void;
}

/** Starts engine instances: as OS processes, or as in-process servers (lightweight mode). */
export interface EngineLauncher {
  readonly mode: FleetMode;
  launch(spec: EngineSpec, events: LaunchEvents): EngineHandle;
  /** Releases what the launcher itself holds (e.g. a shared listener); instances are stopped by their owner. */
  close(): Promise<void>;
}

export const NOT_LISTENING_STATS: EngineStats = { inFlight: 0, served: 0, ready: false, promoted: false };
