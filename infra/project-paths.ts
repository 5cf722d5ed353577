/** Where the CDK app finds the project's files, whatever directory `cdk` is run from. */
import path from 'node:path';

export const projectRoot = path.resolve(__dirname, '..');

/** A project file by its path from the project root. */
export function projectPath(relative: string): string {
  return path.join(projectRoot, relative);
}
