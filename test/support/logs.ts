/**
 * Captures what the Powertools logger writes (it writes to process.stdout/stderr), so tests stay
 * quiet and can assert that no line carries a secret.
 */
export function captureLogs() {
  const lines: string[] = [];
  const record = (chunk: unknown) => {
    lines.push(String(chunk));
    return true;
  };
  const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(record as typeof process.stdout.write);
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(record as typeof process.stderr.write);
  return {
    text: () => lines.join(''),
    restore() {
      stdout.mockRestore();
      stderr.mockRestore();
    },
  };
}
