/**
 * The REST API in front of the HTTP function: every route of the route table (shared/api/routes.ts)
 * as a Lambda proxy integration, a REGIONAL endpoint unless EDGE is asked for, explicit per-method
 * throttling (the stage's default method setting), JSON access logs (never the query
 * string, where a key may travel), execution logs at ERROR without request data, X-Ray tracing.
 * Authentication is the function's (docs/operators/callers-and-keys.md), so API Gateway authorizes nothing.
 */
import { RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import {
  AccessLogField,
  AccessLogFormat,
  EndpointType,
  LambdaIntegration,
  LogGroupLogDestination,
  MethodLoggingLevel,
  type Method,
  RestApi,
} from 'aws-cdk-lib/aws-apigateway';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { apiRoutes } from '../../shared/api/routes';
import { GateWebAcl } from './gate-web-acl';
import { addGatewayErrorResponses } from './gateway-responses';

export interface GateApiProps {
  /** The HTTP gate function every route is proxied to. */
  readonly handler: IFunction;
  /** REGIONAL (callers are servers) or EDGE (through CloudFront). */
  readonly endpointType: 'REGIONAL' | 'EDGE';
  /**
   * The stage's default method throttling: the steady rate, requests per second, that each method
   * accepts on its own (API Gateway keeps one token bucket per method, not one for the stage).
   */
  readonly throttleRateLimit: number;
  /** The burst of each method's bucket, requests. */
  readonly throttleBurstLimit: number;
  readonly logRetention: RetentionDays;
  /** Create the account-level role API Gateway needs to write execution logs. */
  readonly cloudWatchRole: boolean;
  /**
   * Put an AWS WAF web ACL in front of the stage that blocks an IP address sending more than this
   * many requests in 5 minutes (see GateWebAcl).
   * @default - no web ACL
   */
  readonly webAclRateLimit?: number;
}

export const stageName = 'prod';

export class GateApi extends Construct {
  readonly api: RestApi;
  readonly accessLogs: LogGroup;
  /** Set when `webAclRateLimit` is. */
  readonly webAcl?: GateWebAcl;

  constructor(scope: Construct, id: string, props: GateApiProps) {
    super(scope, id);
    this.accessLogs = new LogGroup(this, 'AccessLogs', { retention: props.logRetention });
    this.api = new RestApi(this, 'Api', {
      // A label (names need not be unique): the stack's name, so API Gateway metrics read "ApiName=TransferGate".
      restApiName: Stack.of(this).stackName,
      description: 'transfer-gate: can I transfer a live call to this queue now?',
      // API Gateway's own default is EDGE: a CloudFront hop that servers calling from the region do not need.
      endpointTypes: [props.endpointType === 'EDGE' ? EndpointType.EDGE : EndpointType.REGIONAL],
      cloudWatchRole: props.cloudWatchRole,
      // The role is account-wide and other APIs may rely on it after this stack is gone.
      cloudWatchRoleRemovalPolicy: props.cloudWatchRole ? RemovalPolicy.RETAIN : undefined,
      deployOptions: {
        stageName,
        throttlingRateLimit: props.throttleRateLimit,
        throttlingBurstLimit: props.throttleBurstLimit,
        loggingLevel: MethodLoggingLevel.ERROR,
        // Data traces would log request headers, and with them callers' keys.
        dataTraceEnabled: false,
        tracingEnabled: true,
        accessLogDestination: new LogGroupLogDestination(this.accessLogs),
        accessLogFormat: accessLogFormat(),
      },
    });
    // The stack names its own ApiUrl output; RestApi's generated "Endpoint" output would duplicate it.
    this.api.node.tryRemoveChild('Endpoint');
    this.addRoutes(new LambdaIntegration(props.handler, { allowTestInvoke: false }));
    addGatewayErrorResponses(this.api);
    Validations.of(props.handler).acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason: 'API Gateway invokes this function synchronously and answers the caller with its error; there is no asynchronous event to dead-letter.',
    });
    if (props.cloudWatchRole) {
      Validations.of(this.api).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
        reason: 'The account-level role API Gateway assumes to write execution logs; AWS documents this managed policy for exactly that role.',
      });
    }
    if (props.webAclRateLimit !== undefined) {
      this.webAcl = new GateWebAcl(this, 'WebAcl', { stage: this.api.deploymentStage, rateLimit: props.webAclRateLimit });
    } else {
      Validations.of(this.api.deploymentStage).acknowledge({
        id: 'AwsSolutions-APIG3',
        reason:
          'No web ACL unless the wafRateLimit setting asks for one: every request needs a caller key checked in the function, and the stage is throttled.',
      });
    }
  }

  /** Every route of the route table, as a method on its resource (construct ids: the path parts, then the method). */
  private addRoutes(integration: LambdaIntegration): void {
    // A GET has no body to check; both flags are set so that one validator covers any method.
    const validator = this.api.addRequestValidator('RequestValidator', { validateRequestParameters: true, validateRequestBody: true });
    for (const route of apiRoutes) {
      const parameters = [...route.resource.matchAll(/\{(\w+)\}/g)].map((match) => `method.request.path.${match[1]}`);
      const options = parameters.length ? { requestParameters: Object.fromEntries(parameters.map((name) => [name, true])), requestValidator: validator } : {};
      const method = this.api.root.resourceForPath(route.resource).addMethod(route.method, integration, options);
      acknowledgeNoAuthorizer(
        method,
        route.auth === 'public' ? `${route.method} ${route.resource} is public by contract: it needs no key and calls no vendor.` : callerAuthReason,
      );
    }
  }
}

const callerAuthReason =
  'Callers authenticate in the function with a key in x-api-key, Authorization Bearer or Basic, or ?api_key= (docs/operators/callers-and-keys.md); ' +
  'no API Gateway authorizer accepts a key in all four places.';

function acknowledgeNoAuthorizer(method: Method, reason: string): void {
  Validations.of(method).acknowledge({ id: 'AwsSolutions-APIG4', reason });
  Validations.of(method).acknowledge({ id: 'AwsSolutions-COG4', reason });
}

/** Structured (JSON) access log lines; no query string, no headers, so no caller key. */
function accessLogFormat(): AccessLogFormat {
  return AccessLogFormat.custom(
    JSON.stringify({
      requestId: AccessLogField.contextRequestId(),
      extendedRequestId: AccessLogField.contextExtendedRequestId(),
      requestTime: AccessLogField.contextRequestTime(),
      ip: AccessLogField.contextIdentitySourceIp(),
      httpMethod: AccessLogField.contextHttpMethod(),
      resourcePath: AccessLogField.contextResourcePath(),
      path: '$context.path',
      status: AccessLogField.contextStatus(),
      responseLength: AccessLogField.contextResponseLength(),
      responseLatencyMs: AccessLogField.contextResponseLatency(),
      integrationLatencyMs: AccessLogField.contextIntegrationLatency(),
      integrationStatus: AccessLogField.contextIntegrationStatus(),
      errorMessage: AccessLogField.contextErrorMessage(),
      xrayTraceId: AccessLogField.contextXrayTraceId(),
    }),
  );
}
