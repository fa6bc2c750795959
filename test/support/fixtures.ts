import { readFileSync } from 'node:fs';
import type { JWTPayload } from 'jose';
import { nowSeconds, type TestSigner } from './test-issuer.js';

/**
 * Token shapes published by identity providers (test/fixtures/README.md
 * says where each comes from). Tests re-sign them with keys made at test
 * time and move their timestamps to now, keeping every other claim.
 */
interface TokenShape {
  provider: string;
  token_kind: string;
  header: Record<string, unknown>;
  claims: JWTPayload;
}

const shapes: TokenShape[] = JSON.parse(
  readFileSync(new URL('../fixtures/token-shapes.json', import.meta.url), 'utf8'),
);

/** The one shape whose provider and token kind start with the given words. */
export function tokenShape(provider: string, kind: string): TokenShape {
  const matches = shapes.filter((s) => s.provider === provider && s.token_kind.startsWith(kind));
  if (matches.length !== 1) throw new Error(`${matches.length} fixtures for ${provider} ${kind}`);
  return structuredClone(matches[0]!);
}

/**
 * Signs a fixture shape with `signer`: same claims and `typ` (or none), the
 * signer's `alg` and `kid`, lifetime moved to [now − 60 s, now + 1 h].
 */
export function signShape(
  signer: TestSigner,
  shape: TokenShape,
  overrides: JWTPayload = {},
): Promise<string> {
  const now = nowSeconds();
  const claims: JWTPayload = { ...shape.claims, iat: now - 60, exp: now + 3600 };
  if (claims.nbf !== undefined) claims.nbf = now - 60;
  if (claims.auth_time !== undefined) claims.auth_time = now - 60;
  const header: Record<string, unknown> = {};
  if (shape.header.typ !== undefined) header.typ = shape.header.typ;
  return signer.sign({ ...claims, ...overrides }, header);
}
