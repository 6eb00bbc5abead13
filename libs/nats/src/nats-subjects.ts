/**
 * NATS subjects: dot-separated tokens; in a pattern, `*` stands for one token and `>` (last only) for one or more.
 * Checked here so that a wrong option fails at boot with its name, not later as a server error.
 */

/** Whether `subject` is well formed: non-empty tokens, no white space, wildcards only where allowed. */
export function isValidSubject(subject: string, { wildcards }: { wildcards: boolean }): boolean {
  if (subject.length === 0 || /\s/.test(subject)) return false;
  const tokens = subject.split('.');
  return tokens.every((token, index) => {
    if (token.length === 0) return false;
    if (token === '*') return wildcards;
    if (token === '>') return wildcards && index === tokens.length - 1;
    return !token.includes('*') && !token.includes('>');
  });
}

/**
 * Whether every subject that `inner` matches is also matched by `outer` (a literal subject is a pattern that
 * matches itself). `sagaflow.>` covers `sagaflow.events.*`; `sagaflow.*` does not cover `sagaflow.events.>`.
 */
export function subjectCovers(outer: string, inner: string): boolean {
  const outerTokens = outer.split('.');
  const innerTokens = inner.split('.');
  for (let i = 0; i < outerTokens.length; i += 1) {
    const token = outerTokens[i];
    if (token === '>') return innerTokens.length > i;
    if (i >= innerTokens.length) return false;
    if (token === '*') {
      if (innerTokens[i] === '>') return false;
      continue;
    }
    if (token !== innerTokens[i]) return false;
  }
  return outerTokens.length === innerTokens.length;
}

/** Whether some pattern among `patterns` covers `subject`. */
export function coveredByAny(patterns: readonly string[], subject: string): boolean {
  return patterns.some((pattern) => subjectCovers(pattern, subject));
}

/** The subject a lifecycle event is published on: `sagaflow.lifecycle` + `saga.step.succeeded`. */
export function lifecycleSubject(prefix: string, type: string): string {
  return `${prefix}.${type}`;
}
