/**
 * The Temporal versions this repo pins, each read from where it is set: the compose file's image
 * tags, the ensure-*.sh scripts' pinned versions, and the pinned CLI's go.mod (which says what
 * server and UI the CLI embeds) from the Go module cache.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from './tools';

/** Image name (e.g. temporalio/ui) -> tag, for every service of docker-compose.yml. */
export function composeImageTags(): Map<string, string> {
  const compose = parse(fs.readFileSync(path.join(REPO_ROOT, 'docker-compose.yml'), 'utf8')) as {
    services: Record<string, { image?: string }>;
  };
  const tags = new Map<string, string>();
  for (const { image } of Object.values(compose.services)) {
    if (!image) continue;
    const [name, tag] = image.split(':');
    tags.set(name, tag);
  }
  return tags;
}

/** The version a scripts/ensure-*.sh builds: `version=v1.2.3`, or the default of `${..._VERSION:-v1.2.3}`. */
export function scriptPinnedVersion(script: string): string {
  const text = fs.readFileSync(path.join(REPO_ROOT, 'scripts', script), 'utf8');
  const match = /^version="?(?:\$\{\w+:-)?(v[\d.]+)\}?"?$/m.exec(text);
  if (!match) throw new Error(`no pinned version line in scripts/${script}`);
  return match[1];
}

/** The `require` versions in the go.mod of `module@version`, read from the Go module cache (fetched if missing). */
export function goModRequirements(module: string, version: string): Map<string, string> {
  const text = fs.readFileSync(goModPath(module, version), 'utf8');
  const requirements = new Map<string, string>();
  for (const match of text.matchAll(/^\s*(?:require\s+)?([\w./-]+)\s+(v[\w.+-]+)(?:\s*\/\/.*)?$/gm)) {
    requirements.set(match[1], match[2]);
  }
  return requirements;
}

function goModPath(module: string, version: string): string {
  const cache = moduleCache();
  // The module cache escapes upper-case letters as !lower-case.
  const escaped = module.replace(/[A-Z]/g, (letter) => `!${letter.toLowerCase()}`);
  const candidates = [
    path.join(cache, 'cache', 'download', escaped, '@v', `${version}.mod`),
    path.join(cache, `${escaped}@${version}`, 'go.mod'),
  ];
  const found = candidates.find((candidate) => fs.existsSync(candidate));
  if (found) return found;
  // Not built on this machine yet: fetch the module as `go install` would (the Go module proxy).
  const out = execFileSync('go', ['mod', 'download', '-json', `${module}@${version}`], { encoding: 'utf8' });
  return (JSON.parse(out) as { GoMod: string }).GoMod;
}

function moduleCache(): string {
  if (process.env.GOMODCACHE) return process.env.GOMODCACHE;
  try {
    return execFileSync('go', ['env', 'GOMODCACHE'], { encoding: 'utf8' }).trim();
  } catch {
    return path.join(process.env.GOPATH ?? path.join(os.homedir(), 'go'), 'pkg', 'mod');
  }
}
