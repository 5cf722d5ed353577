/**
 * The REST API: the route table's routes proxied to the HTTP function, stage throttling, JSON access logs
 * without keys, execution logs at ERROR without data traces, X-Ray, and the gateway's own errors
 * in the gate's error shape; the optional web ACL (wafRateLimit) and its 429.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Validations } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { apiRoutes } from '../../shared/api/routes';
import { type SynthResult, synthGate, tempDir, writeConfigFile } from './support/synth-gate';
import { logicalId, render } from './support/template-values';

const config = { queues: [{ id: 'support', vendor: 'aloware', secret: 'tg/aloware', ringGroupId: 1 }] };

let tuned: SynthResult;
let defaults: SynthResult;
beforeAll(() => {
  const configFile = writeConfigFile(tempDir(), config);
  tuned = synthGate({
    configFile,
    context: { throttleRateLimit: '20', throttleBurstLimit: '40', apiGatewayCloudWatchRole: 'false', apiEndpointType: 'EDGE', wafRateLimit: '1000' },
  });
  defaults = synthGate({ configFile });
});

/** Resource paths of the API, from the AWS::ApiGateway::Resource parents. */
function routes(result: SynthResult): Map<string, string> {
  const resources = result.template.findResources('AWS::ApiGateway::Resource');
  const pathOf = (id: string): string => {
    const { ParentId, PathPart } = resources[id]!.Properties;
    return ParentId['Fn::GetAtt'] ? `/${PathPart}` : `${pathOf(ParentId.Ref)}/${PathPart}`;
  };
  return new Map(Object.keys(resources).map((id) => [pathOf(id), id]));
}

test('the API is REGIONAL by default (callers are servers), EDGE when the context asks for it', () => {
  const endpoint = (result: SynthResult) => Object.values(result.template.findResources('AWS::ApiGateway::RestApi'))[0]!.Properties.EndpointConfiguration;
  expect(endpoint(defaults)).toEqual({ Types: ['REGIONAL'] });
  expect(endpoint(tuned)).toEqual({ Types: ['EDGE'] });
});

test.each(['/v1/health', '/v1/queues/{id}/availability', '/v1/routes/{id}/availability'])(
  'GET %s is proxied to the HTTP function and authorized by it',
  (path) => {
    const resourceId = routes(tuned).get(path);
    expect(resourceId).toBeDefined();
    const methods = tuned.template.findResources('AWS::ApiGateway::Method', { Properties: { ResourceId: { Ref: resourceId } } });
    expect(Object.values(methods).map((method) => method.Properties.HttpMethod)).toEqual(['GET']);
    const method = Object.values(methods)[0]!.Properties;
    expect(method.AuthorizationType).toBe('NONE');
    expect(method.Integration.Type).toBe('AWS_PROXY');
    expect(render(method.Integration.Uri)).toContain(`\${${logicalId(tuned.stack.httpFunction.function)}.Arn}`);
  },
);

test('the API has exactly the routes of the route table (and their parents)', () => {
  expect([...routes(tuned).keys()].sort()).toEqual([
    '/console',
    '/console/app.css',
    '/console/app.js',
    '/console/icon.svg',
    '/v1',
    '/v1/health',
    '/v1/openapi.json',
    '/v1/queues',
    '/v1/queues/{id}',
    '/v1/queues/{id}/availability',
    '/v1/queues/{id}/holds',
    '/v1/queues/{id}/holds/{callerId}',
    '/v1/queues/{id}/override',
    '/v1/routes',
    '/v1/routes/{id}',
    '/v1/routes/{id}/availability',
    '/v1/routes/{id}/holds',
    '/v1/routes/{id}/holds/{callerId}',
    '/v1/status',
  ]);
  const parents = (resource: string) =>
    resource
      .split('/')
      .filter(Boolean)
      .map((_part, index, parts) => `/${parts.slice(0, index + 1).join('/')}`);
  expect([...routes(tuned).keys()].sort()).toEqual([...new Set(apiRoutes.flatMap((route) => parents(route.resource)))].sort());
});

test('the availability route requires its path parameter', () => {
  const resourceId = routes(tuned).get('/v1/queues/{id}/availability');
  tuned.template.hasResourceProperties('AWS::ApiGateway::Method', {
    ResourceId: { Ref: resourceId },
    RequestParameters: { 'method.request.path.id': true },
    RequestValidatorId: Match.anyValue(),
  });
});

test('API Gateway may invoke the HTTP function only for the routes of the route table', () => {
  const permissions = tuned.template.findResources('AWS::Lambda::Permission', { Properties: { Principal: 'apigateway.amazonaws.com' } });
  const sources = Object.values(permissions).map((permission) => render(permission.Properties.SourceArn).replace(/^.*\/\$\{[^}]+\}/, ''));
  expect(sources.sort()).toEqual([
    '/DELETE/v1/queues/*/holds/*',
    '/DELETE/v1/queues/*/override',
    '/DELETE/v1/routes/*/holds/*',
    '/GET/console',
    '/GET/console/app.css',
    '/GET/console/app.js',
    '/GET/console/icon.svg',
    '/GET/v1/health',
    '/GET/v1/openapi.json',
    '/GET/v1/queues/*/availability',
    '/GET/v1/queues/*/override',
    '/GET/v1/routes/*/availability',
    '/GET/v1/status',
    '/PUT/v1/queues/*/override',
  ]);
  expect(sources.sort()).toEqual(apiRoutes.map((route) => `/${route.method}${route.resource.replace(/\{\w+\}/g, '*')}`).sort());
});

describe('stage', () => {
  function stage(result: SynthResult) {
    return Object.values(result.template.findResources('AWS::ApiGateway::Stage'))[0]!.Properties;
  }

  test('has explicit throttling from context, with documented defaults', () => {
    expect(stage(tuned).MethodSettings).toEqual([expect.objectContaining({ ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 })]);
    expect(stage(defaults).MethodSettings).toEqual([expect.objectContaining({ ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 })]);
  });

  test('throttling is what docs/operators/settings.md says: the default for every method (one bucket each), no per-method override, no usage plan', () => {
    expect(stage(defaults).MethodSettings).toEqual([expect.objectContaining({ HttpMethod: '*', ResourcePath: '/*', ThrottlingRateLimit: 50 })]);
    for (const method of Object.values(defaults.template.findResources('AWS::ApiGateway::Method'))) expect(method.Properties.Throttling).toBeUndefined();
    defaults.template.resourceCountIs('AWS::ApiGateway::UsagePlan', 0);
    // One bucket per method (route), so the API as a whole accepts up to that many times the figure.
    defaults.template.resourceCountIs('AWS::ApiGateway::Method', apiRoutes.length);
  });

  test('logs execution errors only, never request data, and traces with X-Ray', () => {
    expect(stage(tuned).MethodSettings).toEqual([
      expect.objectContaining({ HttpMethod: '*', ResourcePath: '/*', LoggingLevel: 'ERROR', DataTraceEnabled: false }),
    ]);
    expect(stage(tuned).TracingEnabled).toBe(true);
  });

  test('writes JSON access logs to a log group with retention, without query strings or headers', () => {
    const { DestinationArn, Format } = stage(tuned).AccessLogSetting;
    expect(render(DestinationArn)).toContain(`\${${logicalId(tuned.stack.api.accessLogs)}}`);
    const line = JSON.parse(Format);
    expect(line).toMatchObject({ requestId: '$context.requestId', status: '$context.status', resourcePath: '$context.resourcePath' });
    expect(Format).not.toMatch(/querystring|header|authorization|api_key/i);
    expect(resource(tuned).RetentionInDays).toBe(30);
  });

  function resource(result: SynthResult) {
    return result.template.toJSON().Resources[logicalId(result.stack.api.accessLogs)].Properties;
  }
});

test('the account-level CloudWatch role is created by default and can be left out', () => {
  defaults.template.resourceCountIs('AWS::ApiGateway::Account', 1);
  tuned.template.resourceCountIs('AWS::ApiGateway::Account', 0);
});

test('API Gateway answers in the gate error shape, without caching', () => {
  const responses = Object.values(tuned.template.findResources('AWS::ApiGateway::GatewayResponse')).map((response) => response.Properties);
  const byType = new Map(responses.map((response) => [response.ResponseType, response]));
  expect(byType.get('MISSING_AUTHENTICATION_TOKEN')).toMatchObject({ StatusCode: '404' });
  expect(byType.get('REQUEST_TOO_LARGE')).toMatchObject({ StatusCode: '413' });
  expect(JSON.parse(byType.get('REQUEST_TOO_LARGE').ResponseTemplates['application/json']).error).toBe('invalid_request');
  for (const type of ['MISSING_AUTHENTICATION_TOKEN', 'THROTTLED', 'REQUEST_TOO_LARGE', 'DEFAULT_4XX', 'DEFAULT_5XX']) {
    const response = byType.get(type);
    expect(response.ResponseParameters).toEqual({ 'gatewayresponse.header.Cache-Control': "'no-store'" });
    const body = JSON.parse(response.ResponseTemplates['application/json'].replace('$context.error.messageString', '"x"'));
    expect(Object.keys(body)).toEqual(['error', 'message']);
  }
  expect(JSON.parse(byType.get('DEFAULT_5XX').ResponseTemplates['application/json']).error).toBe('internal_error');
});

describe('web ACL (wafRateLimit)', () => {
  const webAcls = (result: SynthResult) => Object.values(result.template.findResources('AWS::WAFv2::WebACL')).map((acl) => acl.Properties);

  test('none without wafRateLimit', () => {
    defaults.template.resourceCountIs('AWS::WAFv2::WebACL', 0);
    defaults.template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 0);
  });

  test('one REGIONAL web ACL that allows by default and blocks an address over the limit per 5 minutes', () => {
    const [acl, ...others] = webAcls(tuned);
    expect(others).toEqual([]);
    expect(acl).toMatchObject({ Scope: 'REGIONAL', DefaultAction: { Allow: {} } });
    expect(acl.Rules).toHaveLength(1);
    expect(acl.Rules[0].Statement).toEqual({ RateBasedStatement: { Limit: 1000, AggregateKeyType: 'IP', EvaluationWindowSec: 300 } });
  });

  test("its blocks answer 429 rate_limited JSON with Cache-Control: no-store and Retry-After, like the API's own 429", () => {
    const [acl] = webAcls(tuned);
    const { CustomResponse } = acl.Rules[0].Action.Block;
    expect(CustomResponse.ResponseCode).toBe(429);
    expect(CustomResponse.ResponseHeaders).toEqual([
      { Name: 'Cache-Control', Value: 'no-store' },
      { Name: 'Retry-After', Value: '60' },
    ]);
    const body = acl.CustomResponseBodies[CustomResponse.CustomResponseBodyKey];
    expect(body.ContentType).toBe('APPLICATION_JSON');
    expect(JSON.parse(body.Content)).toEqual({ error: 'rate_limited', message: expect.any(String) });
  });

  test("keeps no sampled requests (they would hold callers' keys) and sends metrics", () => {
    const [acl] = webAcls(tuned);
    for (const visibility of [acl.VisibilityConfig, acl.Rules[0].VisibilityConfig])
      expect(visibility).toMatchObject({ SampledRequestsEnabled: false, CloudWatchMetricsEnabled: true });
  });

  test("is associated with the API's stage", () => {
    const association = Object.values(tuned.template.findResources('AWS::WAFv2::WebACLAssociation'))[0]!.Properties;
    expect(association.WebACLArn).toEqual({ 'Fn::GetAtt': [Object.keys(tuned.template.findResources('AWS::WAFv2::WebACL'))[0], 'Arn'] });
    const stageId = logicalId(tuned.stack.api.api.deploymentStage);
    expect(render(association.ResourceArn)).toBe(
      `arn:\${AWS::Partition}:apigateway:\${AWS::Region}::/restapis/\${${logicalId(tuned.stack.api.api)}}/stages/\${${stageId}}`,
    );
  });

  test('cdk-nag stays clean: the stage then needs no "no WAF" acknowledgement', () => {
    const report = JSON.parse(readFileSync(path.join(tuned.assembly.directory, 'validation-report.json'), 'utf8'));
    expect(report.pluginReports.flatMap((plugin: { violations?: unknown[] }) => plugin.violations ?? [])).toEqual([]);
    const stageAcks = (result: SynthResult) =>
      result.stack.api.api.deploymentStage.node.metadata
        .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
        .flatMap((entry) => Object.keys(entry.data as object));
    expect(stageAcks(tuned).join()).not.toContain('APIG3');
    expect(stageAcks(defaults).join()).toContain('APIG3');
  });
});
