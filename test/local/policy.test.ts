import { describe, expect, it } from 'vitest';
import {
  arnMatches,
  buildMethodArn,
  defaultApiIdentity,
} from '../../local/gateway/execute-api-arn.js';
import { evaluatePolicy, PolicyShapeError } from '../../local/gateway/policy.js';

const arn = buildMethodArn(defaultApiIdentity, 'GET', '/catalog/events/42');
const prefix = 'arn:aws:execute-api:us-east-1:123456789012:local/local';

function policy(...statements: object[]) {
  return { Version: '2012-10-17', Statement: statements };
}

describe('execute-api policy matching', () => {
  it('builds the methodArn from the request path', () => {
    expect(arn).toBe(`${prefix}/GET/catalog/events/42`);
  });

  it.each([
    [`${prefix}/GET/catalog/events/*`, true],
    [`${prefix}/GET/catalog/events/4?`, true],
    [`${prefix}/*/catalog/*`, true],
    [`${prefix}/GET/catalog/events`, false],
    [`${prefix}/PUT/catalog/events/*`, false],
    [`${prefix}/get/catalog/events/42`, false],
    [`${prefix}/GET/catalog/events/4`, false],
    ['arn:aws:execute-api:us-east-1:123456789012:other/local/GET/*', false],
  ])('%s matches: %s', (pattern, expected) => {
    expect(arnMatches(pattern, arn)).toBe(expected);
  });

  it('treats regular-expression characters in a pattern literally', () => {
    expect(arnMatches(`${prefix}/GET/catalog.events/42`, `${prefix}/GET/catalogxevents/42`)).toBe(
      false,
    );
  });

  it('lets an explicit Deny win over an Allow', () => {
    const document = policy(
      { Effect: 'Allow', Action: 'execute-api:Invoke', Resource: `${prefix}/*` },
      { Effect: 'Deny', Action: 'execute-api:Invoke', Resource: [`${prefix}/GET/catalog/*`] },
    );
    expect(evaluatePolicy(document, arn)).toBe('explicit-deny');
  });

  it('denies when no Allow matches', () => {
    const document = policy({
      Effect: 'Allow',
      Action: 'execute-api:Invoke',
      Resource: `${prefix}/GET/basket`,
    });
    expect(evaluatePolicy(document, arn)).toBe('implicit-deny');
  });

  it('ignores statements for other actions', () => {
    const document = policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' });
    expect(evaluatePolicy(document, arn)).toBe('implicit-deny');
  });

  it.each([
    ['no Version', { Statement: [] }],
    ['NotResource', policy({ Effect: 'Deny', Action: '*', NotResource: '*' })],
    ['an unknown Effect', policy({ Effect: 'allow', Action: '*', Resource: '*' })],
    ['a non-string Resource', policy({ Effect: 'Allow', Action: '*', Resource: 7 })],
  ])('refuses a policy with %s', (_, document) => {
    expect(() => evaluatePolicy(document, arn)).toThrow(PolicyShapeError);
  });
});
