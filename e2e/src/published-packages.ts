import { readdirSync, readFileSync } from 'node:fs';

const packagesDir = new URL('../../packages/', import.meta.url);

/** The names of the packages under packages/ that are published (not private), sorted. */
export function publishedPackages(): string[] {
  return readdirSync(packagesDir)
    .map((dir) => {
      try {
        return JSON.parse(readFileSync(new URL(`${dir}/package.json`, packagesDir), 'utf8'));
      } catch {
        return undefined;
      }
    })
    .filter((manifest) => manifest !== undefined && !manifest.private)
    .map((manifest) => manifest.name as string)
    .sort();
}
