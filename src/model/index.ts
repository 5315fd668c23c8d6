export * from './duration';
export * from './ids';
export * from './span';
export * from './trace';
