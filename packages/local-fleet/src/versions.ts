import type { Fault } from './faults';
import { HttpError } from './http';
import { referenceNow } from './reference-time';
import type { VersionChannel, VersionSpec } from './schemas';

export interface VersionChange {
  lineage?: string;
  initMs?: number;
  /** null clears the fault. */
  fault?: Fault | null;
  notes?: VersionSpec['notes'];
  channel?: VersionChannel;
  /** ISO time; default: the existing one, or now for a new version. */
  publishedAt?: string;
}

/**
 * The versions the fleet can run, with their lineage, initialization time and injected fault.
 * Instances copy their version's spec when provisioned: a later change affects new instances only.
 */
export class VersionCatalogue {
  private readonly versions = new Map<string, VersionSpec>();

  constructor(
    specs: VersionSpec[],
    private readonly defaults: { lineage: string; initMs: number } = { lineage: 'v1', initMs: 500 },
  ) {
    for (const spec of specs) this.versions.set(spec.version, spec);
  }

  list(): VersionSpec[] {
    return [...this.versions.values()];
  }

  find(version: string): VersionSpec | undefined {
    return this.versions.get(version);
  }

  get(version: string): VersionSpec {
    const spec = this.versions.get(version);
    if (!spec) {
      throw new HttpError(
        404,
        `version ${version} does not exist in the fleet's version catalogue; known versions: ${[...this.versions.keys()].join(', ') || 'none'}`,
      );
    }
    return spec;
  }

  /** Creates or updates a version; answers whether it was created. */
  upsert(version: string, change: VersionChange): { spec: VersionSpec; created: boolean } {
    const existing = this.versions.get(version);
    const spec: VersionSpec = {
      version,
      lineage: change.lineage ?? existing?.lineage ?? this.defaults.lineage,
      initMs: change.initMs ?? existing?.initMs ?? this.defaults.initMs,
      channel: change.channel ?? existing?.channel ?? 'stable',
      publishedAt: change.publishedAt ?? existing?.publishedAt ?? new Date(referenceNow()).toISOString(),
    };
    const fault = change.fault === undefined ? existing?.fault : (change.fault ?? undefined);
    if (fault) spec.fault = fault;
    const notes = change.notes ?? existing?.notes;
    if (notes) spec.notes = notes;
    this.versions.set(version, spec);
    return { spec, created: !existing };
  }

  remove(version: string): boolean {
    return this.versions.delete(version);
  }
}
