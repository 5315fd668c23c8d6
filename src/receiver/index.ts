export { decodeTraceRequest } from './decode';
export {
  DEFAULT_HOST,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_PORT,
  type ReceivedBatch,
  type Receiver,
  type ReceiverOptions,
  type ReceiverStats,
  startReceiver,
  TRACES_PATH,
  type TraceWait,
  type TraceWaitOptions,
} from './server';
