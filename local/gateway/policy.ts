import type { PolicyDocument, Statement } from 'aws-lambda';
import { arnMatches } from './execute-api-arn.js';

/**
 * What an authorizer's policy says about one request's `methodArn`, read
 * the way IAM reads it: an explicit Deny wins over any Allow, and without a
 * matching Allow the answer is no.
 */
export type PolicyDecision = 'allow' | 'explicit-deny' | 'implicit-deny';

/** A policy the emulator cannot read; API Gateway answers 500 for these. */
export class PolicyShapeError extends Error {
  override readonly name = 'PolicyShapeError';
  readonly code = 'policy_invalid';
}

const invokeActions = new Set(['execute-api:Invoke', 'execute-api:*', '*']);

/** Evaluates `policy` for `methodArn`, or throws {@link PolicyShapeError}. */
export function evaluatePolicy(policy: unknown, methodArn: string): PolicyDecision {
  const statements = readStatements(policy);
  let allowed = false;
  for (const statement of statements) {
    const record = statement as unknown as Record<string, unknown>;

    // Unsupported elements: reading them loosely could open a route.
    for (const key of ['NotAction', 'NotResource', 'Condition', 'NotPrincipal']) {
      if (key in record) throw new PolicyShapeError(`statement uses ${key}, not supported here`);
    }

    const effect = record.Effect;
    if (effect !== 'Allow' && effect !== 'Deny') {
      throw new PolicyShapeError('statement Effect must be Allow or Deny');
    }
    const actions = toList(record.Action, 'Action');
    const resources = toList(record.Resource, 'Resource');
    const applies =
      actions.some((action) => invokeActions.has(action)) &&
      resources.some((resource) => arnMatches(resource, methodArn));
    if (!applies) continue;
    if (effect === 'Deny') return 'explicit-deny';
    allowed = true;
  }
  return allowed ? 'allow' : 'implicit-deny';
}

function readStatements(policy: unknown): Statement[] {
  if (typeof policy !== 'object' || policy === null) {
    throw new PolicyShapeError('policyDocument must be an object');
  }
  const document = policy as PolicyDocument;
  if (document.Version !== '2012-10-17') {
    throw new PolicyShapeError('policyDocument Version must be 2012-10-17');
  }
  const statement = document.Statement as unknown;
  if (Array.isArray(statement)) return statement as Statement[];
  if (typeof statement === 'object' && statement !== null) return [statement as Statement];
  throw new PolicyShapeError('policyDocument Statement must be a statement or a list');
}

function toList(value: unknown, field: string): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value;
  throw new PolicyShapeError(`statement ${field} must be a string or a list of strings`);
}
