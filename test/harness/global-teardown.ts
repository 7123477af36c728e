import fs from 'node:fs';
import { BUNDLE_ENV } from './temporal';

export default async function globalTeardown(): Promise<void> {
  const bundlePath = process.env[BUNDLE_ENV];
  if (bundlePath) fs.rmSync(bundlePath, { force: true });
}
