import { randomUUID } from 'node:crypto';
import { CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  RotateSecretCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { createKeyRoutes, jwksPath } from '../../functions/exchange/key-routes.js';
import { SigningKeyUnavailableError } from '../../functions/exchange/key-source.js';
import { createRotation } from '../../functions/exchange/rotation.js';
import { createSecretsManagerKeySource } from '../../functions/exchange/secrets-manager-key-source.js';
import { catalogAudience, createHarness, exchangeIssuer } from './harness.js';
import { type MotoServer, motoServerAvailable, startMotoServer } from './moto-server.js';

/**
 * Rotation against moto_server, which speaks Secrets Manager's API and
 * moves staging labels as AWS does. RotateSecret needs a rotation Lambda
 * that exists; moto keeps one without running it (use_docker off), so the
 * test plays Secrets Manager and invokes each step itself, exactly as the
 * service would after RotateSecret staged the new version as AWSPENDING.
 */
const available = motoServerAvailable();
const skipReason = 'moto_server is not on the PATH (pip install "moto[server]"); CI has it';
const region = 'us-east-1';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

let moto: MotoServer | undefined;
let secrets: SecretsManagerClient;
let rotationLambdaArn: string;

function needMoto(ctx: TestContext): void {
  if (!available) ctx.skip(skipReason);
}

beforeAll(async () => {
  if (!available) {
    console.warn(`rotation tests skipped: ${skipReason}`);
    return;
  }
  moto = await startMotoServer();
  const endpoint = moto.endpoint;
  secrets = new SecretsManagerClient({ endpoint, region, credentials });

  // A rotation Lambda moto knows of but never runs.
  await fetch(`${endpoint}/moto-api/config`, {
    method: 'POST',
    body: JSON.stringify({ lambda: { use_docker: false } }),
  });
  await fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      // moto routes by the credential scope and checks no signature.
      authorization: `AWS4-HMAC-SHA256 Credential=test/20260101/${region}/iam/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body: new URLSearchParams({
      Action: 'CreateRole',
      Version: '2010-05-08',
      RoleName: 'rotation',
      AssumeRolePolicyDocument: '{}',
    }),
  });
  const lambda = new LambdaClient({ endpoint, region, credentials });
  const created = await lambda.send(
    new CreateFunctionCommand({
      FunctionName: 'rotation',
      Runtime: 'nodejs20.x',
      Role: 'arn:aws:iam::123456789012:role/rotation',
      Handler: 'rotate.handler',
      Code: { ZipFile: new TextEncoder().encode('never run') },
    }),
  );
  rotationLambdaArn = created.FunctionArn ?? '';
});

afterAll(async () => {
  await moto?.stop();
});

/** A secret as the stack makes it: a placeholder until its first rotation. */
async function createSecret(): Promise<string> {
  const name = `signing-key-${randomUUID()}`;
  await secrets.send(new CreateSecretCommand({ Name: name, SecretString: 'placeholder' }));
  return name;
}

/** What RotateSecret does before it invokes the function: stage a new version as AWSPENDING. */
async function startRotation(secretId: string): Promise<string> {
  const token = randomUUID();
  await secrets.send(
    new RotateSecretCommand({
      SecretId: secretId,
      ClientRequestToken: token,
      RotationLambdaARN: rotationLambdaArn,
      RotationRules: { AutomaticallyAfterDays: 30 },
    }),
  );
  return token;
}

async function labels(secretId: string): Promise<Record<string, string[]>> {
  const metadata = await secrets.send(new DescribeSecretCommand({ SecretId: secretId }));
  return Object.fromEntries(
    Object.entries(metadata.VersionIdsToStages ?? {}).filter(([, stages]) => stages.length > 0),
  );
}

async function rotateFully(secretId: string): Promise<string> {
  const rotate = createRotation({ client: secrets });
  const token = await startRotation(secretId);
  for (const Step of ['createSecret', 'setSecret', 'testSecret', 'finishSecret']) {
    await rotate({ SecretId: secretId, ClientRequestToken: token, Step });
  }
  return token;
}

describe('rotation against moto_server', () => {
  it('moves staging labels through the four steps, each idempotent on retry', async (ctx) => {
    needMoto(ctx);
    // Prepare
    const secretId = await createSecret();
    const rotate = createRotation({ client: secrets });
    const [original] = Object.keys(await labels(secretId));
    const token = await startRotation(secretId);
    const step = (Step: string) => rotate({ SecretId: secretId, ClientRequestToken: token, Step });
    expect(await labels(secretId)).toEqual({
      [original ?? '']: ['AWSCURRENT'],
      [token]: ['AWSPENDING'],
    });

    // createSecret, twice: one key, kept
    await step('createSecret');
    const pending = () =>
      secrets.send(new GetSecretValueCommand({ SecretId: secretId, VersionStage: 'AWSPENDING' }));
    const first = (await pending()).SecretString;
    await step('createSecret');
    expect((await pending()).SecretString).toBe(first);
    expect(JSON.parse(first ?? '{}').privateJwk).toMatchObject({ kty: 'EC', crv: 'P-256' });
    expect(await labels(secretId)).toEqual({
      [original ?? '']: ['AWSCURRENT'],
      [token]: ['AWSPENDING'],
    });

    // setSecret and testSecret, twice: labels untouched
    for (const name of ['setSecret', 'setSecret', 'testSecret', 'testSecret']) await step(name);
    expect(await labels(secretId)).toEqual({
      [original ?? '']: ['AWSCURRENT'],
      [token]: ['AWSPENDING'],
    });

    // finishSecret, twice: AWSCURRENT moved, AWSPREVIOUS follows
    await step('finishSecret');
    await step('finishSecret');
    expect(await labels(secretId)).toEqual({
      [original ?? '']: ['AWSPREVIOUS'],
      [token]: ['AWSCURRENT'],
    });

    // A second rotation: the first key becomes AWSPREVIOUS, the placeholder drops out
    const second = await rotateFully(secretId);
    expect(await labels(secretId)).toEqual({ [token]: ['AWSPREVIOUS'], [second]: ['AWSCURRENT'] });
  });

  it('refuses a version not staged for rotation, and a secret without rotation', async (ctx) => {
    needMoto(ctx);
    const secretId = await createSecret();
    const rotate = createRotation({ client: secrets });
    await expect(
      rotate({ SecretId: secretId, ClientRequestToken: randomUUID(), Step: 'createSecret' }),
    ).rejects.toMatchObject({ code: 'rotation_not_enabled' });

    await rotateFully(secretId);
    await expect(
      rotate({ SecretId: secretId, ClientRequestToken: randomUUID(), Step: 'createSecret' }),
    ).rejects.toMatchObject({ code: 'rotation_version_unknown' });
    await expect(rotate({ SecretId: secretId, Step: 'createSecret' })).rejects.toMatchObject({
      code: 'rotation_event_invalid',
    });
  });

  it('keeps tokens signed before finishSecret verifiable through the JWKS after it', async (ctx) => {
    needMoto(ctx);
    // Prepare: a stack after its first rotation, the exchange on Secrets Manager
    const secretId = await createSecret();
    await rotateFully(secretId);
    const keys = createSecretsManagerKeySource({ secretId, client: secrets, refreshSeconds: 0 });
    const routes = createKeyRoutes({ keys, issuer: exchangeIssuer });
    const harness = await createHarness({ keys });
    const before = await harness.exchange(harness.request(await harness.subjectToken()));
    if ('error' in before) throw new Error(`refused: ${before.error}`);

    // Act: the next rotation, step by step, reading the JWKS on the way
    const rotate = createRotation({ client: secrets });
    const token = await startRotation(secretId);
    const step = (Step: string) => rotate({ SecretId: secretId, ClientRequestToken: token, Step });
    await step('createSecret');
    const jwksWhilePending = await jwksOf(routes);
    await step('setSecret');
    await step('testSecret');
    await step('finishSecret');
    const jwksAfter = await jwksOf(routes);
    const after = await harness.exchange(harness.request(await harness.subjectToken()));
    if ('error' in after) throw new Error(`refused: ${after.error}`);

    // Assess: the pending key was published before it signed
    const oldKid = decodeProtectedHeader(before.access_token).kid;
    const newKid = decodeProtectedHeader(after.access_token).kid;
    expect(newKid).not.toBe(oldKid);
    expect(jwksWhilePending.keys.map((k) => k.kid).sort()).toEqual([oldKid, newKid].sort());

    // Assess: both tokens verify through the JWKS after finishSecret
    expect(jwksAfter.keys.map((k) => k.kid)).toEqual(expect.arrayContaining([oldKid, newKid]));
    for (const narrow of [before.access_token, after.access_token]) {
      await expect(
        harness.verifyAs(catalogAudience, narrow, ['catalog:read']),
      ).resolves.toMatchObject({ subject: 'user-1' });
    }

    // Assess: no private member is ever published
    for (const jwk of [...jwksWhilePending.keys, ...jwksAfter.keys]) {
      for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'])
        expect(jwk).not.toHaveProperty(member);
    }
  });

  it('signs with AWSPREVIOUS until a new AWSCURRENT has been published long enough', async (ctx) => {
    needMoto(ctx);
    const secretId = await createSecret();
    const first = await rotateFully(secretId);
    await rotateFully(secretId);
    const firstKid = JSON.parse(
      (await secrets.send(new GetSecretValueCommand({ SecretId: secretId, VersionId: first })))
        .SecretString ?? '{}',
    ).kid;
    let clock = Date.now();
    const keys = createSecretsManagerKeySource({
      secretId,
      client: secrets,
      refreshSeconds: 0,
      activationDelaySeconds: 120,
      now: () => clock,
    });

    expect((await keys.signingKey()).kid).toBe(firstKid);
    clock += 121_000;
    expect((await keys.signingKey()).kid).not.toBe(firstKid);
  });

  it('fails closed on a placeholder or a missing secret', async (ctx) => {
    needMoto(ctx);
    const placeholder = createSecretsManagerKeySource({
      secretId: await createSecret(),
      client: secrets,
    });
    await expect(placeholder.signingKey()).rejects.toThrow(SigningKeyUnavailableError);
    await expect(placeholder.signingKey()).rejects.toMatchObject({ reason: 'secret_malformed' });
    const routes = createKeyRoutes({ keys: placeholder, issuer: exchangeIssuer });
    expect(
      (await routes.handle({ httpMethod: 'GET', path: jwksPath, resource: jwksPath })).statusCode,
    ).toBe(500);

    const missing = createSecretsManagerKeySource({ secretId: 'no-such-secret', client: secrets });
    await expect(missing.signingKey()).rejects.toMatchObject({
      code: 'signing_key_unavailable',
      reason: 'secret_missing',
    });
  });
});

async function jwksOf(routes: ReturnType<typeof createKeyRoutes>) {
  const response = await routes.handle({ httpMethod: 'GET', path: jwksPath, resource: jwksPath });
  expect(response.statusCode).toBe(200);
  return JSON.parse(response.body) as { keys: Record<string, unknown>[] };
}
