/**
 * Makes a benchmark stop by itself: on Ctrl-C, SIGTERM or an overrun of its time budget it runs
 * `cleanUp` (children, temporary data) and exits non-zero. Answers the normal ending, which
 * cleans up too unless an abort already does; either way `cleanUp` runs once.
 */
export function guardRun(options: {
  budgetSeconds: number;
  cleanUp: () => Promise<void>;
  log: (line: string) => void;
}): () => Promise<void> {
  let ending = false;
  const abort = (why: string) => {
    if (ending) return;
    ending = true;
    options.log(`\n${why}: stopping`);
    void options.cleanUp().finally(() => process.exit(1));
  };
  process.once('SIGINT', () => abort('SIGINT'));
  process.once('SIGTERM', () => abort('SIGTERM'));
  setTimeout(
    () => abort(`over the time budget (${options.budgetSeconds} s)`),
    options.budgetSeconds * 1000,
  ).unref();
  return async () => {
    if (ending) return;
    ending = true;
    await options.cleanUp();
  };
}
