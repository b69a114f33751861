export * from './audit.js';
export * from './cases.js';
export * from './flow-runs.js';
export * from './outbox.js';
export * from './staff.js';
export * from './users.js';
export * from './deadlines.js';
export * from './alerts.js';
