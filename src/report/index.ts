export * from './json';
export * from './spans';
export { errorReason, printable, shortTraceId } from './text';
export * from './tree';
