export * from './errors';
export * from './model';
