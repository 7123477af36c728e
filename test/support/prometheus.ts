/** Reading Prometheus exposition text in tests: samples with their labels, and the metric names. */

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Every sample line of the exposition text (comments skipped). */
export function parseSamples(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g))
      labels[pair[1]] = pair[2];
    samples.push({ name: match[1], labels, value: Number(match[3]) });
  }
  return samples;
}

/** The samples named `name` whose labels include `labels`. */
export function samplesOf(text: string, name: string, labels: Record<string, string> = {}): Sample[] {
  return parseSamples(text).filter(
    (s) => s.name === name && Object.entries(labels).every(([key, value]) => s.labels[key] === value),
  );
}

/** Sum of the matching samples' values (0 when there are none). */
export function valueOf(text: string, name: string, labels: Record<string, string> = {}): number {
  return samplesOf(text, name, labels).reduce((sum, s) => sum + s.value, 0);
}

/**
 * Every sample name, with a histogram's or summary's family name too (x for x_bucket, x_sum, x_count),
 * and every family the text declares (`# TYPE x counter`: a labelled counter with no sample yet).
 */
export function exportedNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const [, declared, type] of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    names.add(declared);
    if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(declared + suffix);
  }
  for (const { name } of parseSamples(text)) {
    names.add(name);
    const family = /^(.*)_(bucket|sum|count)$/.exec(name);
    if (family) names.add(family[1]);
  }
  return names;
}
