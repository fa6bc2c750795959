import { statSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

/**
 * The bundles the stack deploys, built the way `infra/narrowgate-function.ts`
 * has NodejsFunction build them: esbuild, ESM, minified, with source maps,
 * the AWS SDK v3 left to the Lambda runtime.
 */
export const deployedEntries = {
  authorizer: 'functions/authorizer/handler.ts',
  exchange: 'functions/exchange/handler.ts',
  keys: 'functions/exchange/keys-handler.ts',
  rotation: 'functions/exchange/rotate.ts',
  basket: 'functions/basket/handler.ts',
  catalog: 'functions/catalog/handler.ts',
} as const;

export type BundleName = keyof typeof deployedEntries;

export interface Bundle {
  readonly name: BundleName;
  readonly file: string;
  /** Minified size of the JavaScript, in bytes (source map not counted). */
  readonly bytes: number;
}

export async function buildDeployedBundles(outDir: string): Promise<Bundle[]> {
  const bundles: Bundle[] = [];
  for (const [name, entry] of Object.entries(deployedEntries) as [BundleName, string][]) {
    const file = join(outDir, name, 'index.mjs');
    await build({
      entryPoints: [entry],
      outfile: file,
      bundle: true,
      platform: 'node',
      target: 'node22',
      format: 'esm',
      minify: true,
      sourcemap: true,
      mainFields: ['module', 'main'],
      external: ['@aws-sdk/*'],
      banner: {
        js:
          "import { createRequire as narrowgateRequire } from 'node:module';" +
          'const require = narrowgateRequire(import.meta.url);',
      },
      logLevel: 'error',
    });
    bundles.push({ name, file, bytes: statSync(file).size });
  }
  return bundles;
}
