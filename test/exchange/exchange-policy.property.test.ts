import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideExchange } from '../../functions/exchange/exchange-policy.js';
import { ExchangeRefusedError } from '../../functions/exchange/exchange-refusal.js';
import { loadDefinition } from '../../functions/shared/definition/load-definition.js';
import { validShopDefinition } from '../support/definitions.js';

const definition = loadDefinition(validShopDefinition());
const gatewayScopes = [...new Set(definition.exchange.grants.map((g) => g.gatewayScope))];
const serviceScopes = definition.services.flatMap((s) => s.scopes);
const audiences = [...definition.services.map((s) => s.audience), 'urn:narrowgate:gateway'];

/** The oracle, written from the definition's table and not from the policy's code. */
function mayHave(audience: string, subjectScopes: readonly string[]): Set<string> {
  const service = definition.services.find((s) => s.audience === audience);
  return new Set(
    definition.exchange.grants
      .filter((g) => g.service === service?.name && subjectScopes.includes(g.gatewayScope))
      .flatMap((g) => g.scopes),
  );
}

describe('exchange policy invariants', () => {
  it('never grants a scope the subject gateway scopes do not open', () => {
    fc.assert(
      fc.property(
        fc.subarray(gatewayScopes),
        fc.constantFrom(...audiences),
        fc.array(fc.constantFrom(...serviceScopes, 'catalog.read', 'admin'), { maxLength: 5 }),
        (subjectScopes, audience, requested) => {
          // Act
          let granted: readonly string[];
          try {
            granted = decideExchange(
              definition,
              audience,
              requested.join(' '),
              subjectScopes,
            ).scopes;
          } catch (error) {
            if (error instanceof ExchangeRefusedError) return;
            throw error;
          }

          // Assess: a subset of the allowance, and exactly what was asked
          const allowed = mayHave(audience, subjectScopes);
          for (const scope of granted) expect(allowed.has(scope)).toBe(true);
          expect([...granted].sort()).toEqual([...new Set(requested)].sort());
        },
      ),
      { numRuns: 500 },
    );
  });
});
