/**
 * Every action `@AuditRead` records (filled as the controllers load), so that the admin view can list
 * reads of sensitive data apart from decisions and changes.
 */
export const AUDIT_READ_ACTIONS = new Set<string>();
