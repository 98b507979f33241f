import autocannon from 'autocannon';

export interface LoadOptions {
  url: string;
  method: 'GET' | 'POST';
  path: string;
  /** Cookie headers, one per simulated user; requests go round them in turn. */
  cookies: readonly string[];
  connections: number;
  seconds: number;
}

export interface LoadResult {
  /** Responses with a 2xx status. */
  ok: number;
  /** Other statuses, connection errors and timeouts: any of these makes the run invalid. */
  failed: number;
  requestsPerSecond: number;
  /** Milliseconds, exact (autocannon's own histogram rounds to whole milliseconds). */
  p50: number;
  p99: number;
}

/** One bounded autocannon run (it stops after `seconds`) against a loopback URL. */
export function runLoad(options: LoadOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  let next = 0;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        duration: options.seconds,
        requests: [
          {
            method: options.method,
            path: options.path,
            // A different user on each request, as many browsers would be.
            setupRequest: (request) => ({
              ...request,
              headers: {
                ...request.headers,
                cookie: options.cookies[next++ % options.cookies.length],
              },
            }),
          },
        ],
      },
      (error, result) => {
        if (error) return reject(error instanceof Error ? error : new Error(String(error)));
        latencies.sort((a, b) => a - b);
        resolve({
          ok: result['2xx'],
          failed: result.non2xx + result.errors + result.timeouts,
          requestsPerSecond: result['2xx'] / result.duration,
          p50: percentile(latencies, 0.5),
          p99: percentile(latencies, 0.99),
        });
      },
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
    });
  });
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
