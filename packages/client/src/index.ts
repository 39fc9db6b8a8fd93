export { createPartnerClient, type ApiResponse, type CallOptions, type PartnerClient, type PartnerClientOptions } from './client.ts';
export { PasserelleError } from './errors.ts';
export type { NewOrder, Order, OrderItem, OrderPage, OrderQuery, Orders, OrderStatus } from './orders.ts';
export type { SigningCredentials } from '@passerelle/signatures/reference-signer';
