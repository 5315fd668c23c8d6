/** Types of launch.js, the checkout example's launcher (plain JavaScript, run by `node`). */

export type ServiceName =
  | 'api-gateway'
  | 'order-service'
  | 'inventory-service'
  | 'payment-gateway'
  | 'notification-service';

export interface CheckoutOptions {
  /** Where every service exports its spans. Default `http://127.0.0.1:4318/v1/traces`. */
  otlpEndpoint?: string;
  /**
   * One encoding for all five services. Default: the order service sends
   * `http/protobuf`, the others `http/json`, so a receiver gets both.
   */
  otlpProtocol?: 'http/json' | 'http/protobuf';
  /** Sent with every export, e.g. `{ Authorization: 'Bearer secret' }`. */
  otlpHeaders?: Record<string, string>;
  /** `gzip` compresses every export body. Default: none. */
  otlpCompression?: 'gzip' | 'none';
  /** The batch span processor's delay: how long a finished span may wait. Default 200. */
  exportDelayMs?: number;
  /** Mean latency of the payment gateway. Default 50. */
  paymentLatencyMs?: number;
  /** Spread around the mean, as a fraction: 0.2 gives 40–60ms for a 50ms mean. Default 0.2. */
  paymentLatencyJitter?: number;
  /** Share of charges declined ("card declined"), 0–1. Default 0. */
  paymentFailureRate?: number;
  /** Seed of the gateway's latency and decline draws: same seed, same sequence. Default 1. */
  paymentSeed?: number;
  /** How long the order service waits for the payment gateway. Default 3000. */
  paymentTimeoutMs?: number;
  /** The gateway's port. Default 0: chosen by the OS, as every other service's is. */
  gatewayPort?: number;
  /** Per service, how long it may take to listen. Default 10000. */
  readyTimeoutMs?: number;
  /** After SIGTERM, how long a service may take to flush and exit before SIGKILL. Default 5000. */
  stopTimeoutMs?: number;
  /** Extra environment for every service; applied last, so it overrides everything. */
  env?: Record<string, string>;
  /** Every line a service prints. Default: kept (the last 16 KiB) but not shown. */
  onOutput?(service: ServiceName, stream: 'stdout' | 'stderr', line: string): void;
}

export interface RunningService {
  readonly name: ServiceName;
  readonly pid: number;
  readonly port: number;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Set once the process has exited: its code, or the signal that ended it. */
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  /** The last 16 KiB of what it printed, stdout and stderr interleaved. */
  output(): string;
  /** Resolves when the process has exited and its output is read. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface Checkout {
  /** `http://127.0.0.1:<port>` of the API gateway. */
  readonly gatewayUrl: string;
  /** `${gatewayUrl}/api/checkout` */
  readonly checkoutUrl: string;
  /** Gateway, order, inventory, payment, notification. */
  readonly services: readonly RunningService[];
  /**
   * SIGTERM to every service (each flushes its spans, then exits 0), SIGKILL to any still
   * running after `stopTimeoutMs`. Resolves when all have exited. Safe to call twice.
   */
  stop(): Promise<void>;
}

/**
 * Starts the five services on 127.0.0.1, leaves first. Rejects, after stopping whatever it
 * started, if one dies or is not ready in time; the error names it and quotes its stderr.
 */
export function startCheckout(options?: CheckoutOptions): Promise<Checkout>;
