export { writeAudit, recordSecurityEvent, scrub, type Actor, type AuditEntry } from './audit.ts';
