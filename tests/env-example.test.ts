import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

describe('.env.example', () => {
  it('lists every variable the configuration reads', () => {
    const source = readFileSync('src/config.ts', 'utf8');
    const read = [...source.matchAll(/^ {4}([A-Z][A-Z0-9_]+): z/gm)].map((m) => m[1]);
    const listed = new Set([...readFileSync('.env.example', 'utf8').matchAll(/^([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]));
    expect(read.length).toBeGreaterThan(10);
    expect(read.filter((v) => !listed.has(v))).toEqual([]);
  });
});
