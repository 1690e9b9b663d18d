// undici's connector with its connect timeout on a native timer. undici's own
// connect timeout ticks at about one-second resolution, so a 200 ms setting
// would fire after up to 1.2 s; this one fires on time and destroys the
// half-open socket, which counts as a connect timeout (UND_ERR_CONNECT_TIMEOUT).
import type { Socket } from 'node:net';
import { buildConnector, errors } from 'undici';

export function preciseConnector(timeoutMs: number): buildConnector.connector {
  const connect = buildConnector({ timeout: 0 });
  return (options, callback) => {
    let settled = false;
    let pending: Socket | undefined;
    const timer = setTimeout(() => {
      settled = true;
      pending?.destroy();
      callback(new errors.ConnectTimeoutError(), null);
    }, timeoutMs);
    try {
      // undici's connector returns the socket it opened, though its type says void.
      // eslint-disable-next-line @typescript-eslint/no-confusing-void-expression -- see above: it does return the socket
      pending = connect(options, (...args) => {
        clearTimeout(timer);
        if (settled) {
          args[1]?.destroy();
          return;
        }
        settled = true;
        callback(...args);
      }) as unknown as Socket | undefined;
    } catch (err) {
      clearTimeout(timer);
      throw err;
    }
  };
}
