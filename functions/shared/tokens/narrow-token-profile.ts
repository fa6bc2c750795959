/**
 * What every narrow token looks like: the exchange mints to this profile and
 * the services verify against it, so the two can never drift apart.
 */

/** The only algorithm narrow tokens are signed with. */
export const narrowTokenAlgorithm = 'ES256';

/** RFC 9068 access-token type: no client token or ID token carries it from our exchange. */
export const narrowTokenType = 'at+jwt';

/** RFC 8693 token type identifier of an access token. */
export const accessTokenTypeUri = 'urn:ietf:params:oauth:token-type:access_token';

/** RFC 8693 grant type. */
export const tokenExchangeGrantType = 'urn:ietf:params:oauth:grant-type:token-exchange';

/** Clock skew allowed between the exchange and a service, in seconds. */
export const narrowTokenLeewaySeconds = 5;
