import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { afterAll, describe, expect, it } from 'vitest';
import { NarrowgateFunction } from '../../infra/narrowgate-function.js';

const outdir = mkdtempSync(path.join(tmpdir(), 'narrowgate-bundle-'));

afterAll(() => {
  rmSync(outdir, { recursive: true, force: true });
});

describe('bundling', () => {
  it('builds a real handler with the local esbuild, no Docker needed', () => {
    // Given a stack with one function, bundled as `cdk synth` bundles it
    const app = new App({ outdir });
    const stack = new Stack(app, 'Bundle');
    new NarrowgateFunction(stack, 'Authorizer', {
      entry: 'functions/authorizer/handler.ts',
      serviceName: 'narrowgate-authorizer',
      description: 'bundling test',
      environment: {},
      logRetentionDays: 1,
      logRemovalPolicy: RemovalPolicy.DESTROY,
    });

    // When
    app.synth();

    // Then: a minified ES module with its source map and the require shim
    const assets = readdirSync(outdir).filter((name) => name.startsWith('asset.'));
    expect(assets).toHaveLength(1);
    const asset = path.join(outdir, assets[0] as string);
    const code = readFileSync(path.join(asset, 'index.mjs'), 'utf8');
    expect(existsSync(path.join(asset, 'index.mjs.map'))).toBe(true);
    expect(code).toContain('createRequire');
    expect(code).toMatch(/export\s*\{[^}]*handler/);
    // Minified: the handler's comments are gone.
    expect(code).not.toContain('Everything is built once per');
  }, 60_000);
});
