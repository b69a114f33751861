export * from './flow-runs.js';
export * from './users.js';
