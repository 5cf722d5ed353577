/** What a promise rejects with; a promise that resolves instead fails the test. */
export function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection, but the promise resolved');
    },
    (thrown: unknown) => thrown,
  );
}
