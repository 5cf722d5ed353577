/**
 * Reading synthesized CloudFormation values in tests: intrinsic functions rendered as readable
 * strings (`arn:${AWS::Partition}:...`), and resources picked by the construct that made them.
 */
import { CfnElement, Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';

/** `{"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ...]]}` as `arn:${AWS::Partition}...`. */
export function render(value: unknown): string {
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  const intrinsic = value as Record<string, any>;
  if (intrinsic?.Ref) return `\${${intrinsic.Ref}}`;
  if (intrinsic?.['Fn::GetAtt']) return `\${${intrinsic['Fn::GetAtt'].join('.')}}`;
  if (intrinsic?.['Fn::Join']) {
    const [separator, parts] = intrinsic['Fn::Join'] as [string, unknown[]];
    return parts.map(render).join(separator);
  }
  throw new Error(`cannot render ${JSON.stringify(value)}`);
}

/** The logical id CloudFormation knows a construct (or its default resource) by. */
export function logicalId(construct: IConstruct): string {
  const element = CfnElement.isCfnElement(construct) ? construct : construct.node.defaultChild;
  if (!element || !CfnElement.isCfnElement(element)) throw new Error(`${construct.node.path} has no CloudFormation resource`);
  return Stack.of(construct).resolve(element.logicalId);
}

export function resource(template: Template, construct: IConstruct): { Type: string; Properties: Record<string, any> } {
  const id = logicalId(construct);
  const found = template.toJSON().Resources[id];
  if (!found) throw new Error(`no resource ${id} in the template`);
  return found;
}

export interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

/** Every IAM policy statement in the template with the logical id of its policy. */
export function policyStatements(template: Template): Array<Statement & { policy: string }> {
  const policies = template.findResources('AWS::IAM::Policy');
  return Object.entries(policies).flatMap(([policy, { Properties }]) =>
    (Properties.PolicyDocument.Statement as Statement[]).map((statement) => ({ ...statement, policy })),
  );
}

export function asArray<T>(value: T | T[]): T[] {
  return Array.isArray(value) ? value : [value];
}
