import { describe, expect, it } from 'vitest';
import { decideExchange } from '../../functions/exchange/exchange-policy.js';
import { ExchangeRefusedError } from '../../functions/exchange/exchange-refusal.js';
import { loadDefinition } from '../../functions/shared/definition/load-definition.js';
import { validShopDefinition } from '../support/definitions.js';

const definition = loadDefinition(validShopDefinition());
const catalog = 'urn:narrowgate:service:catalog';
const basket = 'urn:narrowgate:service:basket';
const shopWeb = ['catalog.read', 'basket.read', 'basket.write'];

describe('exchange policy', () => {
  it.each([
    ['one scope a gateway scope opens', catalog, 'catalog:read', shopWeb, ['catalog:read']],
    [
      'two scopes of one service',
      basket,
      'basket:write basket:read',
      shopWeb,
      ['basket:write', 'basket:read'],
    ],
    [
      'a subject holding more than needed',
      catalog,
      'catalog:read',
      ['catalog.read', 'catalog.write'],
      ['catalog:read'],
    ],
  ])('grants %s', (_case, audience, scope, subjectScopes, granted) => {
    // Act
    const grant = decideExchange(definition, audience, scope, subjectScopes);

    // Assess
    expect(grant.service.audience).toBe(audience);
    expect(grant.scopes).toEqual(granted);
  });

  it.each([
    [
      'widened: a scope the subject was not given',
      catalog,
      'catalog:write',
      shopWeb,
      'invalid_scope',
      'scope_not_granted',
    ],
    [
      'widened by one of two scopes, refused whole',
      catalog,
      'catalog:read catalog:write',
      shopWeb,
      'invalid_scope',
      'scope_not_granted',
    ],
    [
      'unknown audience',
      'urn:narrowgate:service:payments',
      'catalog:read',
      shopWeb,
      'invalid_target',
      'audience_unknown',
    ],
    [
      'the service name instead of its audience',
      'catalog',
      'catalog:read',
      shopWeb,
      'invalid_target',
      'audience_unknown',
    ],
    [
      'the gateway audience',
      'urn:narrowgate:gateway',
      'catalog:read',
      shopWeb,
      'invalid_target',
      'audience_unknown',
    ],
    [
      'a scope of another service',
      catalog,
      'basket:read',
      shopWeb,
      'invalid_scope',
      'scope_not_granted',
    ],
    [
      'a gateway scope asked of a service',
      catalog,
      'catalog.read',
      shopWeb,
      'invalid_scope',
      'scope_not_granted',
    ],
    ['empty scope', catalog, '', shopWeb, 'invalid_scope', 'scope_empty'],
    [
      'repeated scope',
      catalog,
      'catalog:read catalog:read',
      shopWeb,
      'invalid_scope',
      'scope_repeated',
    ],
    ['a subject without scopes', catalog, 'catalog:read', [], 'invalid_scope', 'scope_not_granted'],
  ])('refuses %s', (_case, audience, scope, subjectScopes, error, code) => {
    // Act
    const act = () => decideExchange(definition, audience, scope, subjectScopes);

    // Assess
    expect(act).toThrow(ExchangeRefusedError);
    expect(act).toThrow(expect.objectContaining({ error, code }));
  });
});
