import { type ShopClient, shopClients } from '../../functions/shared/definition/shop-definition.js';

/**
 * The demo clients' secrets on the local provider. They open nothing but a
 * provider on 127.0.0.1 that lives as long as one `npm start`, so they are
 * written here and in the README on purpose; a deployed stack's clients get
 * secrets from Cognito instead.
 */
export const localClientSecrets: Readonly<Record<ShopClient, string>> = {
  'shop-web': 'local-shop-web-secret',
  'catalog-admin': 'local-catalog-admin-secret',
  analytics: 'local-analytics-secret',
};

export const localClientIds = Object.keys(shopClients) as ShopClient[];

/** Whether `name` is one of the shop's clients. */
export function isShopClient(name: string): name is ShopClient {
  return Object.hasOwn(shopClients, name);
}
