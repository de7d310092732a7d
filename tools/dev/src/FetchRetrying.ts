// fetch, again after Retry-After while the API answers 503: a busy machine's first seconds (admission
// control sheds writes, and a shard may not have its owner yet). Callers retry only what is safe to repeat.

const MaxAttempts = 30;

/**
 * fetch, again after Retry-After (at most 5 s a wait) while the answer is 503, up to 30 tries; the
 * last answer is returned whatever its status. `onRetry` is called before each wait.
 */
export const fetchRetrying = async (url: string, init?: RequestInit, onRetry?: () => void): Promise<Response> => {
  for (let attempt = 1; ; attempt++) {
    const answer = await fetch(url, init);
    if (answer.status !== 503 || attempt >= MaxAttempts) return answer;
    await answer.arrayBuffer();
    onRetry?.();
    await new Promise((done) => setTimeout(done, Math.min(5, Number(answer.headers.get('retry-after') ?? '1') || 1) * 1_000));
  }
};
