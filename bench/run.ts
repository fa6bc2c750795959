import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { createSigningKeySecret } from '../functions/exchange/signing-key-secret.js';
import { shopServices } from '../functions/shared/definition/shop-definition.js';
import { createAccessTokenVerifier } from '../functions/shared/tokens/access-token-verifier.js';
import {
  accessTokenTypeUri,
  tokenExchangeGrantType,
} from '../functions/shared/tokens/narrow-token-profile.js';
import { createNarrowTokenVerifier } from '../functions/shared/tokens/narrow-token-verifier.js';
import { localTableNames, startDynamo } from '../local/dynamo.js';
import { startGateway } from '../local/gateway/gateway-server.js';
import { createAlternativeAuthorizer } from './alternative-authorizer.js';
import { startAwsStandIns } from './aws-stand-ins.js';
import { buildDeployedBundles } from './bundles.js';
import { measureColdStart } from './cold-start.js';
import { measureNarrowVerifyFloor, measureSignFloor, measureVerifyFloor } from './floor.js';
import { loadRoute } from './gateway-load.js';
import { basketAuthorizerEvent, benchNarrowIssuer, buildInProcessGateway } from './in-process.js';
import { serveJson, startBenchIssuer } from './keys.js';
import { type Measurement, measure } from './measure.js';
import { measureMemory } from './memory.js';
import { formatReport, type Report } from './report.js';

/**
 * `npm run bench [-- --quick]`: every figure in one run, on the same keys
 * and tokens, with ratios to the floor or the alternative beside them.
 */
const quick = readQuickFlag(process.argv.slice(2));
const settings = quick
  ? { operations: 500, runs: 3, missTokens: 300, loadSeconds: 2, coldRuns: 2, memoryTokens: 20_000 }
  : {
      operations: 3000,
      runs: 5,
      missTokens: 2000,
      loadSeconds: 5,
      coldRuns: 5,
      memoryTokens: 1_000_000,
    };
// The functions log every decision at INFO; a benchmark measures the work, not the terminal.
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';

const issuer = await startBenchIssuer('RS256');
const { authorizer, exchange, keys } = await buildInProcessGateway(issuer);
const timed = { operations: settings.operations, runs: settings.runs };
const report: Report = { quick, node: process.version, rows: [], load: [], coldStarts: [] };
const step = (text: string) => process.stderr.write(`bench: ${text}\n`);

try {
  // Floors.
  step('floors');
  const clientToken = await issuer.token('steady');
  const verifyFloor = await measureVerifyFloor(issuer, clientToken, timed);
  const signFloor = await measureSignFloor(timed);

  // Gateway verification: every time (no remembered results), as on a new token.
  step('authorizer');
  const verifyEveryTime = createAccessTokenVerifier([issuer.config], {
    allowHttp: true,
    verifiedTokens: false,
  });
  await verifyEveryTime.hydrate();
  const gatewayVerify = await measure(
    'gateway verification, every time (aws-jwt-verify + our checks)',
    () => verifyEveryTime.verify(clientToken),
    timed,
  );

  // The authorizer, warm: a client repeating its token, then new tokens.
  const hitEvent = basketAuthorizerEvent(clientToken);
  await authorizer.authorize(hitEvent);
  const cacheHit = await measure(
    'authorizer, warm, repeated token (verification and narrow token cached)',
    () => authorizer.authorize(hitEvent),
    timed,
  );
  const missEvents = await Promise.all(
    Array.from({ length: settings.missTokens }, async (_, i) =>
      basketAuthorizerEvent(await issuer.token(`miss-${i}`)),
    ),
  );
  const cacheMiss = await measure(
    'authorizer, warm, new token (verify, exchange verifies again, jose signs)',
    (i) => authorizer.authorize(missEvents[i % missEvents.length]!),
    {
      operations: Math.floor(settings.missTokens / (settings.runs + 1)),
      runs: settings.runs,
      warmup: 0,
    },
  );

  // The common alternative, on the same token and checks, nothing remembered.
  step('alternative');
  const alternative = createAlternativeAuthorizer(
    issuer.config as typeof issuer.config & { audience: string },
  );
  const alternativeRow = await measure(
    'common alternative: jsonwebtoken + jwks-rsa (no exchange)',
    () => alternative(clientToken, ['basket.read']),
    timed,
  );

  // A service verifying its narrow token: every time, and repeated.
  step('service verification');
  const basketRead = exchangeRequest(clientToken, 1, 'basket:read');
  const narrow = await exchange.exchange(basketRead);
  if (!('access_token' in narrow)) throw new Error(`exchange refused: ${JSON.stringify(narrow)}`);
  const narrowFloor = await measureNarrowVerifyFloor(keys, narrow.access_token, timed);
  const jwksServer = await serveJson({ keys: await keys.publicKeys() });
  const jwksUri = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/jwks`;
  const narrowVerifier = (verifiedTokens?: false) =>
    createNarrowTokenVerifier({
      issuer: benchNarrowIssuer,
      jwksUri,
      audience: shopServices[1].audience,
      allowHttp: true,
      ...(verifiedTokens === false ? { verifiedTokens } : {}),
    });
  const serviceEveryTime = narrowVerifier(false);
  const serviceVerifier = narrowVerifier();
  const serviceRow = await measure(
    'service verification of a narrow token, every time',
    () => serviceEveryTime.verify(narrow.access_token, ['basket:read']),
    timed,
  );
  const serviceRepeated = await measure(
    'service verification of a narrow token, repeated (remembered)',
    () => serviceVerifier.verify(narrow.access_token, ['basket:read']),
    timed,
  );

  const ratioTo = (row: Measurement, floor: Measurement | number, against: string) => ({
    ...row,
    ratio: row.microsPerOp / (typeof floor === 'number' ? floor : floor.microsPerOp),
    against,
  });
  report.rows.push(
    ratioTo(verifyFloor, verifyFloor, 'itself'),
    ratioTo(signFloor, signFloor, 'itself'),
    ratioTo(narrowFloor, narrowFloor, 'itself'),
    ratioTo(gatewayVerify, verifyFloor, 'RS256 verify floor'),
    ratioTo(cacheHit, verifyFloor, 'RS256 verify floor'),
    ratioTo(
      cacheMiss,
      verifyFloor.microsPerOp + signFloor.microsPerOp,
      'RS256 verify floor + ES256 sign floor',
    ),
    ratioTo(alternativeRow, gatewayVerify, 'our gateway verification, every time'),
    ratioTo(serviceRow, narrowFloor, 'ES256 verify floor'),
    ratioTo(serviceRepeated, narrowFloor, 'ES256 verify floor'),
  );

  // The local gateway end to end: a secured exchange route and an open one.
  step('gateway under load');
  const body = JSON.stringify({ lines: [] });
  const answer = { statusCode: 200, headers: { 'content-type': 'application/json' }, body };
  const gateway = await startGateway({
    port: 0,
    routes: (await import('../functions/shared/definition/shop-definition.js')).shopRoutes as never,
    authorizer: (event) => authorizer.authorize(event),
    integrations: {
      // The secured route's service checks its narrow token, as the real one does.
      basket: async (event: APIGatewayProxyEvent) => {
        const token = String(event.requestContext.authorizer?.downstreamToken ?? '');
        await serviceVerifier.verify(token, ['basket:read']);
        return answer;
      },
      catalog: async () => answer,
    },
    publicRoutes: [{ method: 'GET', path: '/open/basket', handler: async () => answer }],
  });
  const address = { port: gateway.port } as AddressInfo;
  const secured = await loadRoute(
    'secured exchange route (GET /basket)',
    address,
    '/basket',
    { authorization: `Bearer ${clientToken}` },
    settings.loadSeconds,
  );
  // The same request, token included: only the route's security differs.
  const open = await loadRoute(
    'unsecured route (same emulator, same request)',
    address,
    '/open/basket',
    { authorization: `Bearer ${clientToken}` },
    settings.loadSeconds,
  );
  await gateway.close();
  report.load.push(secured, open);

  // Cold start of each deployed bundle in a fresh process.
  step('bundles and cold starts');
  const outDir = join('bench', '.out');
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const bundles = await buildDeployedBundles(outDir);
  report.bundles = bundles.map(({ name, bytes }) => ({ name, bytes }));
  const secretString = await createSigningKeySecret();
  const standIns = await startAwsStandIns({
    invoke: (payload) => exchange.exchange(payload),
    secretString,
  });
  const dynamo = await startDynamo(0);
  const common = {
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    NARROWGATE_MODE: 'local',
    NARROWGATE_ISSUERS: JSON.stringify([issuer.config]),
    NARROW_TOKEN_ISSUER: benchNarrowIssuer,
    NARROW_TOKEN_JWKS_URI: jwksUri,
    SIGNING_KEY_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:bench',
    EXCHANGE_FUNCTION_NAME: 'bench-exchange',
    AWS_ENDPOINT_URL_LAMBDA: standIns.url,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: standIns.url,
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.url,
  };
  const proxy = (method: string, resource: string, authorizerContext: unknown) => ({
    resource,
    path: resource,
    httpMethod: method,
    headers: {},
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    body: null,
    isBase64Encoded: false,
    requestContext: {
      requestId: 'cold',
      httpMethod: method,
      resourcePath: resource,
      stage: 'prod',
      authorizer: authorizerContext,
    },
  });
  const catalogToken = await exchange.exchange(exchangeRequest(clientToken, 0, 'catalog:read'));
  const coldEvents = {
    authorizer: basketAuthorizerEvent(clientToken),
    exchange: basketRead,
    keys: proxy('GET', '/.well-known/jwks.json', null),
    basket: proxy('GET', '/basket', { downstreamToken: narrow.access_token }),
    catalog: proxy('GET', '/catalog/events', {
      downstreamToken: 'access_token' in catalogToken ? catalogToken.access_token : '',
    }),
  } as const;
  for (const bundle of bundles) {
    const event = coldEvents[bundle.name as keyof typeof coldEvents];
    if (!event) continue;
    const tableName = bundle.name === 'catalog' ? localTableNames.catalog : localTableNames.basket;
    report.coldStarts.push(
      await measureColdStart(
        bundle,
        event,
        { ...common, TABLE_NAME: tableName },
        settings.coldRuns,
      ),
    );
  }
  await Promise.all([standIns.close(), dynamo.close()]);
  jwksServer.close();

  // Memory: the authorizer's caches stay bounded however many tokens pass.
  step(`memory over ${settings.memoryTokens.toLocaleString('en')} distinct tokens`);
  report.memory = await measureMemory(settings.memoryTokens, (done, total) =>
    step(`memory: ${done.toLocaleString('en')} of ${total.toLocaleString('en')}`),
  );

  // A quick run never replaces the full run the README quotes.
  const resultsFile = join('bench', quick ? 'results.quick.json' : 'results.json');
  writeFileSync(resultsFile, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(formatReport(report));
} finally {
  await issuer.close();
}

/** `--quick` or nothing; anything else is a usage error (one line, exit 2). */
function readQuickFlag(args: string[]): boolean {
  try {
    return (
      parseArgs({ args, options: { quick: { type: 'boolean' } }, strict: true }).values.quick ===
      true
    );
  } catch {
    process.stderr.write('usage: npm run bench [-- --quick]\n');
    process.exit(2);
  }
}

/** The RFC 8693 request the authorizer sends for `scope` of one shop service. */
function exchangeRequest(subjectToken: string, service: 0 | 1, scope: string) {
  return {
    grant_type: tokenExchangeGrantType,
    subject_token: subjectToken,
    subject_token_type: accessTokenTypeUri,
    audience: shopServices[service].audience,
    scope,
  };
}
