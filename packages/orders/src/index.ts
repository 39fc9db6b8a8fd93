export { createOrders, type Orders, type OrdersOptions, type Owner, type OrderResult, type CreateResult } from './orders.ts';
export {
  newOrder, orderReplacement, orderListQuery, idempotencyKey, orderStatuses, MAX_ITEMS,
  type NewOrder, type OrderReplacement, type OrderListQuery, type OrderItem, type OrderStatus,
} from './inputs.ts';
export { etagOf, ifMatchAllows, type OrderView } from './view.ts';
export { encodeCursor, decodeCursor } from './cursor.ts';
