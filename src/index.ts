export * from './analyze';
export * from './assert';
export * from './capture';
export * from './errors';
export * from './ingest';
export * from './model';
export * from './query';
export * from './report';
