// Lets the browser paint and handle input between pieces of a long rendering job, so that no
// single task blocks the page for long on a slow phone.

/** Resolves in a later task (scheduler.yield where the browser has it: it resumes sooner). */
export function nextTask() {
  return globalThis.scheduler?.yield
    ? globalThis.scheduler.yield()
    : new Promise((resolve) => { setTimeout(resolve, 0); });
}
