// The one module that talks to the server. Every failure becomes an ApiError whose `kind` the
// page shows as a state: bad-input (400, with the field at fault), busy (429 after the retries),
// unavailable (503: time limit or overload), timeout (no answer in time), network, server.

const DEFAULT_TIMEOUT_MS = 20000;
const DEFAULT_RETRIES = 4;
const MAX_BACKOFF_MS = 8000;

export class ApiError extends Error {
  constructor(kind, message, { field = null, status = 0, retryAfterMs = null } = {}) {
    super(message);
    this.name = 'ApiError';
    this.kind = kind;
    this.field = field;
    this.status = status;
    this.retryAfterMs = retryAfterMs;
  }
}

/** Milliseconds to wait before retry `attempt` (0-based): Retry-After if given, else backoff. */
export function retryDelayMs(retryAfterHeader, attempt) {
  const seconds = Number.parseFloat(retryAfterHeader);
  if (Number.isFinite(seconds) && seconds >= 0) {
    return Math.min(seconds * 1000, MAX_BACKOFF_MS * 4);
  }
  const backoff = Math.min(500 * 2 ** attempt, MAX_BACKOFF_MS);
  return backoff / 2 + Math.random() * backoff / 2;
}

function wait(ms, signal) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(new ApiError('cancelled', 'Cancelled'));
    }, { once: true });
  });
}

async function errorBody(response) {
  try {
    const body = await response.json();
    return { message: body.error ?? null, field: body.field ?? null };
  } catch {
    return { message: null, field: null };
  }
}

/**
 * POSTs `body` as JSON and resolves to the parsed answer.
 *
 * @param {string} url
 * @param {object} body
 * @param {{signal?: AbortSignal, timeoutMs?: number, retries?: number,
 *          onRetry?: (info: {attempt: number, retries: number, delayMs: number}) => void}} options
 *   `signal` cancels (a newer run replaces this one); `onRetry` is told before each wait on 429.
 */
export async function postJson(url, body, options = {}) {
  const { signal, timeoutMs = DEFAULT_TIMEOUT_MS, retries = DEFAULT_RETRIES, onRetry } = options;
  for (let attempt = 0; ; attempt++) {
    const controller = new AbortController();
    const cancel = () => controller.abort('cancelled');
    signal?.addEventListener('abort', cancel, { once: true });
    const timer = setTimeout(() => controller.abort('timeout'), timeoutMs);
    let response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify(body),
        signal: controller.signal,
      });
    } catch (e) {
      if (signal?.aborted) throw new ApiError('cancelled', 'Cancelled');
      if (controller.signal.aborted) {
        throw new ApiError('timeout',
          `No answer from the server within ${Math.round(timeoutMs / 1000)} s.`);
      }
      throw new ApiError('network', 'Cannot reach the server: is it still running?');
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', cancel);
    }

    if (response.ok) {
      return response.json();
    }
    const { message, field } = await errorBody(response);
    const status = response.status;
    if (status === 429) {
      if (attempt >= retries) {
        throw new ApiError('busy', 'The server is still busy; try again in a moment.', { status });
      }
      const delayMs = retryDelayMs(response.headers.get('Retry-After'), attempt);
      onRetry?.({ attempt: attempt + 1, retries, delayMs });
      await wait(delayMs, signal);
      continue;
    }
    if (status === 400 || status === 413 || status === 415 || status === 422) {
      throw new ApiError('bad-input', message ?? `The server refused the request (${status}).`,
        { field, status });
    }
    if (status === 503) {
      const retryAfterMs = retryDelayMs(response.headers.get('Retry-After'), 0);
      throw new ApiError('unavailable',
        message ?? 'The server stopped this computation (time limit or overload).',
        { status, retryAfterMs });
    }
    throw new ApiError('server', message ?? `The server failed (${status}).`, { status });
  }
}
