export * from './errors';
export * from './model';
export * from './query';
export * from './ingest';
export * from './report';
export * from './capture';
