import { Duration, type RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import {
  type ShopClient,
  shopClients,
  shopGatewayScopes,
} from '../functions/shared/definition/shop-definition.js';
import { buildCognitoIssuer, type ValidatedIssuer } from './issuers.js';

/** Identifier of the gateway's resource server; Cognito writes `narrowgate/<scope>`. */
export const resourceServerIdentifier = 'narrowgate';

export interface CognitoIdentityProps {
  /** Prefix of the hosted domain, unique per region across AWS. */
  readonly domainPrefix: string;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * The default identity provider: a user pool that only machine clients use.
 * A resource server carries the gateway scopes, and each demo client may
 * ask, with the client-credentials grant, for its own scope set only.
 */
export class CognitoIdentity extends Construct {
  readonly userPool: cognito.UserPool;
  readonly domain: cognito.UserPoolDomain;
  readonly clients: ReadonlyMap<ShopClient, cognito.UserPoolClient>;
  /** The pool as an entry of `NARROWGATE_ISSUERS`, validated. */
  readonly issuer: ValidatedIssuer;

  constructor(scope: Construct, id: string, props: CognitoIdentityProps) {
    super(scope, id);
    const stack = Stack.of(this);

    // Pool: nobody signs up or signs in; the settings hold if users are added.
    this.userPool = new cognito.UserPool(this, 'UserPool', {
      selfSignUpEnabled: false,
      signInAliases: { username: true },
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 14,
        requireDigits: true,
        requireLowercase: true,
        requireUppercase: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(1),
      },
      accountRecovery: cognito.AccountRecovery.NONE,
      deletionProtection: false,
      removalPolicy: props.removalPolicy,
    });

    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG8',
      reason:
        'Only machine clients use this pool (client credentials); the Plus plan protects ' +
        'user sign-ins, which never happen here, and is billed per user.',
    });

    // Scopes: the gateway's, under one resource server.
    const scopes = new Map(
      shopGatewayScopes.map((name) => [
        name,
        new cognito.ResourceServerScope({ scopeName: name, scopeDescription: `gateway ${name}` }),
      ]),
    );
    const resourceServer = this.userPool.addResourceServer('ResourceServer', {
      identifier: resourceServerIdentifier,
      userPoolResourceServerName: 'narrowgate gateway',
      scopes: [...scopes.values()],
    });

    // Clients: client credentials only, each with its own scope set.
    const clients = new Map<ShopClient, cognito.UserPoolClient>();
    for (const [name, clientScopes] of Object.entries(shopClients) as [
      ShopClient,
      readonly string[],
    ][]) {
      const client = this.userPool.addClient(toConstructId(name), {
        userPoolClientName: name,
        generateSecret: true,
        authFlows: {},
        oAuth: {
          flows: { clientCredentials: true },
          scopes: clientScopes.map((scopeName) => {
            const scope = scopes.get(scopeName as (typeof shopGatewayScopes)[number]);
            if (!scope) throw new Error(`client ${name} names unknown scope ${scopeName}`);
            return cognito.OAuthScope.resourceServer(resourceServer, scope);
          }),
        },
        supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
        accessTokenValidity: Duration.hours(1),
        preventUserExistenceErrors: true,
        enableTokenRevocation: true,
      });
      // Left empty, Cognito would enable SRP and custom sign-in by default;
      // refresh is the minimum it accepts and never applies to this grant.
      (client.node.defaultChild as cognito.CfnUserPoolClient).explicitAuthFlows = [
        'ALLOW_REFRESH_TOKEN_AUTH',
      ];
      clients.set(name, client);
    }
    this.clients = clients;

    // Token endpoint: the hosted domain serves /oauth2/token.
    this.domain = this.userPool.addDomain('Domain', {
      cognitoDomain: { domainPrefix: props.domainPrefix },
    });

    this.issuer = buildCognitoIssuer({
      region: stack.region,
      urlSuffix: stack.urlSuffix,
      userPoolId: this.userPool.userPoolId,
      resourceServer: resourceServerIdentifier,
      clientIds: [...clients.values()].map((client) => client.userPoolClientId),
    });
  }

  /** `https://<prefix>.auth.<region>.amazoncognito.com/oauth2/token`. */
  get tokenUrl(): string {
    return `${this.domain.baseUrl()}/oauth2/token`;
  }
}

/** `shop-web` → `ShopWeb`, a readable construct id. */
export function toConstructId(name: string): string {
  return name
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}
