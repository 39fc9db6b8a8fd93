// @passerelle/usage: per-client daily usage counters, written by the API's
// rate-limit step and read by the partner portal's "Usage" page.
export { createUsageCounters, RETENTION_DAYS, type UsageCounters } from './counters.ts';
export {
  createUsageReader, type ClientUsage, type Counts, type DayUsage, type RateTier, type UsageReader, type UsageSubject,
} from './reader.ts';
