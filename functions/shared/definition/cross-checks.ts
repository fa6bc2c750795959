import { PathTemplateError, parsePathTemplate, templatesOverlap } from '../routes/path-template.js';
import type { Definition } from './schema.js';

/** One broken rule: the field it is about, as a dotted path, and why. */
export interface DefinitionIssue {
  readonly path: string;
  readonly reason: string;
}

export interface CrossCheckOptions {
  /**
   * Allow issuers and JWKS over plain http. Only the local stack sets this;
   * a deployed gateway must never fetch keys over an unauthenticated channel.
   * @default false
   */
  readonly allowHttp: boolean;
}

/**
 * The rules that relate one part of a valid-shaped definition to another.
 * Each check returns its own issues so that a definition with several
 * mistakes reports all of them at once.
 */
export function crossCheckDefinition(
  definition: Definition,
  options: CrossCheckOptions,
): DefinitionIssue[] {
  return [
    ...checkIssuers(definition, options),
    ...checkServices(definition),
    ...checkRoutes(definition),
    ...checkGrants(definition),
  ];
}

function checkIssuers(definition: Definition, options: CrossCheckOptions): DefinitionIssue[] {
  const issues: DefinitionIssue[] = [];
  const seen = new Map<string, number>();
  definition.issuers.forEach((issuer, index) => {
    // Transport: keys fetched over http can be swapped by anyone on the path.
    for (const field of ['issuer', 'jwksUri'] as const) {
      if (!options.allowHttp && new URL(issuer[field]).protocol !== 'https:') {
        issues.push({
          path: `issuers.${index}.${field}`,
          reason: 'must use https outside local mode',
        });
      }
    }

    // Uniqueness: the verifier picks its rules by the token's `iss`.
    const first = seen.get(issuer.issuer);
    if (first !== undefined) {
      issues.push({
        path: `issuers.${index}.issuer`,
        reason: `repeats the issuer of issuers.${first}`,
      });
    } else seen.set(issuer.issuer, index);
  });
  return issues;
}

function checkServices(definition: Definition): DefinitionIssue[] {
  const issues: DefinitionIssue[] = [];
  const names = new Set<string>();
  const audiences = new Set<string>();
  const gatewayAudiences = new Set(
    definition.issuers.flatMap((i) => (i.dialect === 'cognito' ? [] : [i.audience])),
  );
  definition.services.forEach((service, index) => {
    if (names.has(service.name)) {
      issues.push({ path: `services.${index}.name`, reason: 'repeats another service' });
    }

    // Audiences: a token for one hop must never be accepted at another.
    if (audiences.has(service.audience)) {
      issues.push({
        path: `services.${index}.audience`,
        reason: 'repeats the audience of another service',
      });
    }
    if (gatewayAudiences.has(service.audience)) {
      issues.push({
        path: `services.${index}.audience`,
        reason: 'equals the gateway audience of an issuer',
      });
    }
    names.add(service.name);
    audiences.add(service.audience);
  });
  return issues;
}

function checkRoutes(definition: Definition): DefinitionIssue[] {
  const issues: DefinitionIssue[] = [];
  const services = new Map(definition.services.map((s) => [s.name, s]));
  const parsed: {
    index: number;
    method: string;
    template: ReturnType<typeof parsePathTemplate>;
  }[] = [];
  const paramNameAt = new Map<string, { name: string; index: number }>();

  definition.routes.forEach((route, index) => {
    const at = `routes.${index}`;

    // Service and its scopes.
    const service = services.get(route.service);
    if (!service) {
      issues.push({ path: `${at}.service`, reason: `names unknown service "${route.service}"` });
    } else {
      for (const scope of route.downstreamScopes) {
        if (!service.scopes.includes(scope)) {
          issues.push({
            path: `${at}.downstreamScopes`,
            reason: `service "${service.name}" does not understand scope "${scope}"`,
          });
        }
      }
    }

    // Narrowing: every downstream scope must come from a scope the route requires.
    const exchanged = route.mode === 'exchange' ? route.downstreamScopes : [];
    for (const scope of exchanged) {
      const granted = definition.exchange.grants.some(
        (grant) =>
          grant.service === route.service &&
          grant.scopes.includes(scope) &&
          route.scopes.includes(grant.gatewayScope),
      );
      if (!granted) {
        issues.push({
          path: `${at}.downstreamScopes`,
          reason: `no grant turns this route's gateway scopes into "${scope}"`,
        });
      }
    }

    // Template.
    let template: ReturnType<typeof parsePathTemplate>;
    try {
      template = parsePathTemplate(route.path);
    } catch (error) {
      if (!(error instanceof PathTemplateError)) throw error;
      issues.push({ path: `${at}.path`, reason: error.reason });
      return;
    }

    // API Gateway keeps one resource tree: one parameter name per level.
    let prefix = '';
    for (const segment of template.segments) {
      if (segment.kind !== 'literal') {
        const other = paramNameAt.get(prefix);
        if (other && other.name !== segment.name) {
          issues.push({
            path: `${at}.path`,
            reason: `names parameter "${segment.name}" where routes.${other.index} names "${other.name}"`,
          });
        } else paramNameAt.set(prefix, { name: segment.name, index });
      }
      prefix += `/${segment.kind === 'literal' ? segment.value : '{}'}`;
    }

    // Duplicates and overlaps of the same method.
    for (const other of parsed) {
      if (other.method !== route.method || !templatesOverlap(other.template, template)) continue;
      const how = other.template.text === template.text ? 'duplicates' : 'overlaps';
      issues.push({
        path: `${at}.path`,
        reason: `${how} routes.${other.index} (${other.method} ${other.template.text})`,
      });
    }
    parsed.push({ index, method: route.method, template });
  });
  return issues;
}

function checkGrants(definition: Definition): DefinitionIssue[] {
  const issues: DefinitionIssue[] = [];
  const services = new Map(definition.services.map((s) => [s.name, s]));
  const serviceOfGatewayScope = new Map<string, string>();

  definition.exchange.grants.forEach((grant, index) => {
    const at = `exchange.grants.${index}`;
    const service = services.get(grant.service);
    if (!service) {
      issues.push({ path: `${at}.service`, reason: `names unknown service "${grant.service}"` });
      return;
    }

    // One gateway scope opens one service: otherwise it widens across services.
    const earlier = serviceOfGatewayScope.get(grant.gatewayScope);
    if (earlier !== undefined && earlier !== grant.service) {
      issues.push({
        path: `${at}.gatewayScope`,
        reason: `widens "${grant.gatewayScope}" to a second service ("${earlier}" and "${grant.service}")`,
      });
    }
    serviceOfGatewayScope.set(grant.gatewayScope, grant.service);

    for (const scope of grant.scopes) {
      if (!service.scopes.includes(scope)) {
        issues.push({
          path: `${at}.scopes`,
          reason: `service "${service.name}" does not understand scope "${scope}"`,
        });
        continue;
      }

      // Tightness: a grant no route needs only widens what a token can become.
      const needed = definition.routes.some(
        (route) =>
          route.mode === 'exchange' &&
          route.service === grant.service &&
          route.scopes.includes(grant.gatewayScope) &&
          route.downstreamScopes.includes(scope),
      );
      if (!needed) {
        issues.push({
          path: `${at}.scopes`,
          reason: `widens "${grant.gatewayScope}" to "${scope}", which no route requiring it requests`,
        });
      }
    }
  });
  return issues;
}
