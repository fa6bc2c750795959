import { decodeJwt, decodeProtectedHeader } from 'jose';
import {
  type ShopClient,
  shopExchange,
  shopServices,
} from '../functions/shared/definition/shop-definition.js';
import {
  accessTokenTypeUri,
  tokenExchangeGrantType,
} from '../functions/shared/tokens/narrow-token-profile.js';
import { type HttpAnswer, sendRequest } from './http/send-request.js';
import type { TestTokenSigner } from './identity/test-token-signer.js';
import { passThroughPrefix } from './passthrough-variant.js';

/**
 * The walkthrough shared by `npm run demo` (the local stack) and
 * `npm run smoke` (a deployed stack): each scenario sends real HTTP requests
 * and compares the status it gets with the one the pattern promises.
 */

/** What a run can reach. Smoke runs have no inside network and no test-only tokens. */
export interface ScenarioTarget {
  readonly gatewayUrl: string;
  /** The inside-network server (local stack only). */
  readonly insideUrl?: string;
  /** Test-only tokens (local stack only). */
  readonly testTokens?: TestTokenSigner;
  /** The clients this run holds credentials for. */
  readonly clients: ReadonlySet<ShopClient>;
  /** A fresh client-credentials access token for `client`. */
  clientToken(client: ShopClient): Promise<string>;
}

/** What a scenario needs beyond the gateway; missing needs make it not applicable. */
export type ScenarioNeed = 'inside-network' | 'test-tokens' | ShopClient;

export interface ScenarioResult {
  readonly got: string;
  readonly pass: boolean;
  /** Extra lines shown under the table, e.g. decoded claims. Never a raw token. */
  readonly notes?: readonly string[];
}

export interface Scenario {
  readonly name: string;
  /** The request, as a reader would write it: `GET /basket (shop-web)`. */
  readonly request: string;
  readonly expected: string;
  readonly needs: readonly ScenarioNeed[];
  run(target: ScenarioTarget, state: ScenarioState): Promise<ScenarioResult>;
}

/** Values one scenario leaves for a later one, such as a created event's id. */
export type ScenarioState = Map<string, string>;

export interface ScenarioOutcome {
  readonly scenario: Scenario;
  readonly verdict: 'pass' | 'FAIL' | 'n/a';
  readonly got: string;
  readonly notes: readonly string[];
}

const seededEvent = 'evt-harbour-jazz';
const basketAudience = audienceOf('basket');
const newEvent = {
  name: 'Demo Night',
  artist: 'The Local Stack',
  venue: '127.0.0.1',
  startsAt: '2026-12-31T21:00:00+00:00',
  price: { amountMinor: 1000, currency: 'EUR' },
};

interface CallOptions {
  readonly token?: string;
  readonly body?: unknown;
  /** The raw Authorization header, for scenarios that send a malformed one. */
  readonly authorization?: string;
}

/** One request to the gateway or the inside network. */
async function call(base: string, method: string, path: string, options: CallOptions = {}) {
  const headers: Record<string, string> = {};
  if (options.token !== undefined) headers.Authorization = `Bearer ${options.token}`;
  if (options.authorization !== undefined) headers.Authorization = options.authorization;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  return await sendRequest(base, path, { method, headers, body });
}

/** A scenario that sends one request and expects one status (or a 4xx class). */
function expectStatus(
  name: string,
  spec: {
    readonly method: string;
    readonly path: string | ((state: ScenarioState) => string);
    readonly who: string;
    readonly expected: number | '4xx';
    readonly needs?: readonly ScenarioNeed[];
    readonly where?: 'gateway' | 'inside-network';
    readonly options: (target: ScenarioTarget) => Promise<CallOptions>;
    readonly after?: (answer: HttpAnswer, state: ScenarioState) => void;
  },
): Scenario {
  const where = spec.where ?? 'gateway';
  const shownPath =
    typeof spec.path === 'string' ? spec.path : spec.path(new Map([['id', '{id}']]));
  return {
    name,
    request: `${spec.method} ${where === 'inside-network' ? '(inside) ' : ''}${shownPath} (${spec.who})`,
    expected: String(spec.expected),
    needs: [
      ...(spec.needs ?? []),
      ...(where === 'inside-network' ? ['inside-network' as const] : []),
    ],
    async run(target, state) {
      const base = where === 'gateway' ? target.gatewayUrl : (target.insideUrl as string);
      const path = typeof spec.path === 'string' ? spec.path : spec.path(state);
      const answer = await call(base, spec.method, path, await spec.options(target));
      spec.after?.(answer, state);
      const pass =
        spec.expected === '4xx'
          ? answer.status >= 400 && answer.status < 500
          : answer.status === spec.expected;
      return { got: String(answer.status), pass };
    },
  };
}

const as = (client: ShopClient) => async (target: ScenarioTarget) => ({
  token: await target.clientToken(client),
});

/** The client scenarios: each client on routes it may and may not use. */
const clientScenarios: Scenario[] = [
  expectStatus('shop-web reads the catalog', {
    method: 'GET',
    path: '/catalog/events',
    who: 'shop-web',
    expected: 200,
    needs: ['shop-web'],
    options: as('shop-web'),
  }),
  expectStatus('shop-web reads one event', {
    method: 'GET',
    path: `/catalog/events/${seededEvent}`,
    who: 'shop-web',
    expected: 200,
    needs: ['shop-web'],
    options: as('shop-web'),
  }),
  expectStatus('shop-web empties its basket', {
    method: 'DELETE',
    path: '/basket',
    who: 'shop-web',
    expected: 204,
    needs: ['shop-web'],
    options: as('shop-web'),
  }),
  expectStatus('shop-web adds a basket line', {
    method: 'PUT',
    path: `/basket/lines/${seededEvent}`,
    who: 'shop-web',
    expected: 201,
    needs: ['shop-web'],
    options: async (target) => ({ ...(await as('shop-web')(target)), body: { quantity: 2 } }),
  }),
  expectStatus('shop-web reads its basket', {
    method: 'GET',
    path: '/basket',
    who: 'shop-web',
    expected: 200,
    needs: ['shop-web'],
    options: as('shop-web'),
  }),
  expectStatus('shop-web removes the line', {
    method: 'DELETE',
    path: `/basket/lines/${seededEvent}`,
    who: 'shop-web',
    expected: 204,
    needs: ['shop-web'],
    options: as('shop-web'),
  }),
  expectStatus('shop-web may not write the catalog', {
    method: 'POST',
    path: '/catalog/events',
    who: 'shop-web',
    expected: 403,
    needs: ['shop-web'],
    options: async (target) => ({ ...(await as('shop-web')(target)), body: newEvent }),
  }),
  expectStatus('catalog-admin creates an event', {
    method: 'POST',
    path: '/catalog/events',
    who: 'catalog-admin',
    expected: 201,
    needs: ['catalog-admin'],
    options: async (target) => ({ ...(await as('catalog-admin')(target)), body: newEvent }),
    after: (answer, state) => {
      if (answer.status !== 201) return;
      const id = (JSON.parse(answer.body) as { id?: unknown }).id;
      if (typeof id === 'string') state.set('id', id);
    },
  }),
  expectStatus('catalog-admin updates it', {
    method: 'PUT',
    path: (state) => `/catalog/events/${state.get('id') ?? 'evt-missing'}`,
    who: 'catalog-admin',
    expected: 200,
    needs: ['catalog-admin'],
    options: async (target) => ({
      ...(await as('catalog-admin')(target)),
      body: { ...newEvent, venue: 'localhost' },
    }),
  }),
  expectStatus('catalog-admin deletes it', {
    method: 'DELETE',
    path: (state) => `/catalog/events/${state.get('id') ?? 'evt-missing'}`,
    who: 'catalog-admin',
    expected: 204,
    needs: ['catalog-admin'],
    options: as('catalog-admin'),
  }),
  expectStatus('catalog-admin may not read baskets', {
    method: 'GET',
    path: '/basket',
    who: 'catalog-admin',
    expected: 403,
    needs: ['catalog-admin'],
    options: as('catalog-admin'),
  }),
  expectStatus('analytics reads the catalog', {
    method: 'GET',
    path: '/catalog/events',
    who: 'analytics',
    expected: 200,
    needs: ['analytics'],
    options: as('analytics'),
  }),
  expectStatus('analytics may not read baskets', {
    method: 'GET',
    path: '/basket',
    who: 'analytics',
    expected: 403,
    needs: ['analytics'],
    options: as('analytics'),
  }),
  expectStatus('analytics may not delete events', {
    method: 'DELETE',
    path: `/catalog/events/${seededEvent}`,
    who: 'analytics',
    expected: 403,
    needs: ['analytics'],
    options: as('analytics'),
  }),
];

/** Tokens the gateway must refuse with 401. */
const badTokenScenarios: Scenario[] = [
  expectStatus('no token', {
    method: 'GET',
    path: '/catalog/events',
    who: 'no Authorization',
    expected: 401,
    options: async () => ({}),
  }),
  expectStatus('a garbage token', {
    method: 'GET',
    path: '/catalog/events',
    who: 'Bearer garbage',
    expected: 401,
    options: async () => ({ token: 'not-a-jwt' }),
  }),
  expectStatus('an expired token', {
    method: 'GET',
    path: '/catalog/events',
    who: 'analytics, expired',
    expected: 401,
    needs: ['test-tokens'],
    options: async (target) => ({
      token: await (target.testTokens as TestTokenSigner).expired('analytics', ['catalog.read']),
    }),
  }),
  expectStatus('a token for another audience', {
    method: 'GET',
    path: '/catalog/events',
    who: 'analytics, aud=another API',
    expected: 401,
    needs: ['test-tokens'],
    options: async (target) => ({
      token: await (target.testTokens as TestTokenSigner).otherAudience('analytics', [
        'catalog.read',
      ]),
    }),
  }),
];

/** Paths that must never reach a route, let alone a more permissive one. */
const pathScenarios: Scenario[] = [
  expectStatus('encoded dot segments reach no route', {
    method: 'GET',
    path: '/catalog/events/..%2F..%2Fbasket',
    who: 'shop-web',
    expected: '4xx',
    needs: ['shop-web'],
    options: as('shop-web'),
  }),
  expectStatus('OPTIONS gets no bypass', {
    method: 'OPTIONS',
    path: '/basket',
    who: 'shop-web',
    expected: 403,
    needs: ['shop-web'],
    options: as('shop-web'),
  }),
];

/** Inside the network: every service checks its own token. */
const insideScenarios: Scenario[] = [
  expectStatus('a gateway token straight to the basket', {
    method: 'GET',
    path: '/basket',
    who: 'shop-web client token',
    expected: 401,
    where: 'inside-network',
    needs: ['shop-web'],
    options: as('shop-web'),
  }),
  expectStatus('a basket narrow token to the basket', {
    method: 'GET',
    path: '/basket',
    who: 'basket narrow token',
    expected: 200,
    where: 'inside-network',
    needs: ['shop-web'],
    options: async (target) => ({ token: (await basketNarrowToken(target)).token }),
  }),
  expectStatus('the basket narrow token replayed at the catalog', {
    method: 'GET',
    path: '/catalog/events',
    who: 'basket narrow token',
    expected: 401,
    where: 'inside-network',
    needs: ['shop-web'],
    options: async (target) => ({ token: (await basketNarrowToken(target)).token }),
  }),
  {
    name: 'the narrow token, decoded',
    request: 'POST (inside) /exchange (shop-web → basket:read)',
    expected: '1 aud, subset, act, exp ≤ subject',
    needs: ['inside-network', 'shop-web'],
    async run(target) {
      const { token, subject } = await basketNarrowToken(target);
      return checkNarrowClaims(token, subject);
    },
  },
];

/** One request inside the network carrying a permissive token that names every audience. */
function withPermissiveToken(name: string, path: string, expected: number): Scenario {
  return expectStatus(name, {
    method: 'GET',
    path,
    who: 'permissive, every aud',
    expected,
    where: 'inside-network',
    needs: ['test-tokens'],
    options: async (target) => ({
      token: await (target.testTokens as TestTokenSigner).permissive('shop-web'),
    }),
  });
}

/** The contrast: in pass-through mode a permissive client token opens every service. */
const passThroughScenarios: Scenario[] = [
  withPermissiveToken('permissive token at a narrow-token service', '/catalog/events', 401),
  withPermissiveToken(
    'pass-through: it opens the catalog',
    `${passThroughPrefix}/catalog/events`,
    200,
  ),
  withPermissiveToken('pass-through: it opens the basket', `${passThroughPrefix}/basket`, 200),
];

/** Every scenario, in the order the demo shows them. */
export const shopScenarios: readonly Scenario[] = [
  ...clientScenarios,
  ...badTokenScenarios,
  ...pathScenarios,
  ...insideScenarios,
  ...passThroughScenarios,
];

/**
 * A basket narrow token for shop-web, from the exchange as the authorizer's
 * role reaches it (`POST /exchange` inside the network).
 */
async function basketNarrowToken(target: ScenarioTarget) {
  const subject = await target.clientToken('shop-web');
  const answer = await call(target.insideUrl as string, 'POST', '/exchange', {
    body: {
      grant_type: tokenExchangeGrantType,
      subject_token: subject,
      subject_token_type: accessTokenTypeUri,
      audience: basketAudience,
      scope: 'basket:read',
      requested_token_type: accessTokenTypeUri,
    },
  });
  const body = JSON.parse(answer.body) as { access_token?: unknown; error?: unknown };
  if (answer.status !== 200 || typeof body.access_token !== 'string') {
    throw new Error(`exchange answered ${answer.status} ${String(body.error ?? '')}`);
  }
  return { token: body.access_token, subject };
}

/** The narrow token's promises, checked on its decoded claims; the claims are the notes. */
function checkNarrowClaims(token: string, subjectToken: string): ScenarioResult {
  const header = decodeProtectedHeader(token);
  const claims = decodeJwt(token);
  const subject = decodeJwt(subjectToken);
  const scopes = String(claims.scope ?? '').split(' ');
  const act = claims.act as { sub?: unknown } | undefined;
  const checks: [string, boolean][] = [
    ['typ at+jwt', header.typ === 'at+jwt'],
    ['one aud, the basket', claims.aud === basketAudience],
    ['scope ⊆ asked', scopes.every((scope) => scope === 'basket:read')],
    ['act = gateway', act?.sub === shopExchange.actor],
    ['exp ≤ subject exp', (claims.exp ?? Infinity) <= (subject.exp ?? 0)],
    ['same sub', claims.sub === subject.sub],
  ];
  const failed = checks.filter(([, ok]) => !ok).map(([label]) => label);
  return {
    got: failed.length === 0 ? 'all hold' : `broken: ${failed.join(', ')}`,
    pass: failed.length === 0,
    notes: [
      `narrow token header: ${JSON.stringify(header)}`,
      `narrow token claims: ${JSON.stringify(claims)}`,
      `subject token exp:   ${subject.exp} (the narrow token's exp is ${claims.exp})`,
    ],
  };
}

function audienceOf(name: string): string {
  const service = shopServices.find((candidate) => candidate.name === name);
  if (!service) throw new Error(`no service ${name}`);
  return service.audience;
}

/** Runs every scenario in order; one that throws fails with its message, not the run. */
export async function runScenarios(
  target: ScenarioTarget,
  scenarios: readonly Scenario[] = shopScenarios,
): Promise<ScenarioOutcome[]> {
  const state: ScenarioState = new Map();
  const outcomes: ScenarioOutcome[] = [];
  for (const scenario of scenarios) {
    if (!applies(scenario, target)) {
      outcomes.push({ scenario, verdict: 'n/a', got: '-', notes: [] });
      continue;
    }
    try {
      const result = await scenario.run(target, state);
      outcomes.push({
        scenario,
        verdict: result.pass ? 'pass' : 'FAIL',
        got: result.got,
        notes: result.notes ?? [],
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      outcomes.push({ scenario, verdict: 'FAIL', got: `error: ${message}`, notes: [] });
    }
  }
  return outcomes;
}

function applies(scenario: Scenario, target: ScenarioTarget): boolean {
  return scenario.needs.every((need) => {
    if (need === 'inside-network') return target.insideUrl !== undefined;
    if (need === 'test-tokens') return target.testTokens !== undefined;
    return target.clients.has(need);
  });
}

/** The outcomes as a text table, then the notes (decoded claims), for a terminal. */
export function formatOutcomes(outcomes: readonly ScenarioOutcome[]): string {
  const rows = outcomes.map((o) => [
    o.scenario.name,
    o.scenario.request,
    o.scenario.expected,
    o.got,
    o.verdict,
  ]);
  const header = ['scenario', 'request', 'expected', 'got', 'pass'];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  const table = [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)];
  const notes = outcomes.flatMap((o) => o.notes);
  const passed = outcomes.filter((o) => o.verdict === 'pass').length;
  const failed = outcomes.filter((o) => o.verdict === 'FAIL').length;
  const skipped = outcomes.length - passed - failed;
  return [
    ...table,
    '',
    ...notes,
    ...(notes.length > 0 ? [''] : []),
    `${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} not applicable here` : ''}`,
  ].join('\n');
}
