/**
 * An AWS WAF web ACL in front of the API stage (docs/operators/settings.md, `wafRateLimit`): one
 * rate-based rule that blocks an address sending more than the limit in 5 minutes, so that a
 * keyless flood cannot use up the throttle every caller shares. Its blocks answer 429 in the
 * gate's error shape with `Cache-Control: no-store` and `Retry-After`, as the API's own 429s.
 * Everything else is allowed through to API Gateway and the function's key check.
 */
import { type Duration, Stack } from 'aws-cdk-lib';
import type { Stage } from 'aws-cdk-lib/aws-apigateway';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { CfnWebACL, CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { webAclBlockedAnswer, webAclRetryAfterSeconds } from '../../shared/api/gateway-errors';

export interface GateWebAclProps {
  /** The API stage the web ACL protects. */
  readonly stage: Stage;
  /** Requests per 5 minutes one IP address may send before its requests are blocked (10 to 2,000,000,000). */
  readonly rateLimit: number;
}

/** The custom response body's key in the web ACL. */
const blockedBodyKey = 'RateLimited';

export class GateWebAcl extends Construct {
  readonly webAcl: CfnWebACL;
  /** The CloudWatch dimension values of the rate rule's metrics. */
  readonly webAclMetricName: string;
  readonly ruleMetricName = 'PerIpRateLimit';

  constructor(scope: Construct, id: string, props: GateWebAclProps) {
    super(scope, id);
    if (!Number.isInteger(props.rateLimit) || props.rateLimit < 10 || props.rateLimit > 2_000_000_000) {
      throw new Error(`rateLimit must be a whole number from 10 to 2000000000 (got ${props.rateLimit})`);
    }
    this.webAclMetricName = `${Stack.of(this).stackName}-WebAcl`;
    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      // API Gateway REST APIs, regional and edge-optimized alike, take a REGIONAL web ACL.
      scope: 'REGIONAL',
      description: 'transfer-gate: per-IP rate limit in front of the API',
      defaultAction: { allow: {} },
      // No sampled requests: a sample keeps request headers and query strings, and with them callers' keys.
      visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: this.webAclMetricName, sampledRequestsEnabled: false },
      customResponseBodies: {
        [blockedBodyKey]: {
          contentType: 'APPLICATION_JSON',
          content: JSON.stringify({ error: webAclBlockedAnswer.code, message: webAclBlockedAnswer.message }),
        },
      },
      rules: [
        {
          name: this.ruleMetricName,
          priority: 0,
          statement: { rateBasedStatement: { limit: props.rateLimit, aggregateKeyType: 'IP', evaluationWindowSec: 300 } },
          action: {
            block: {
              customResponse: {
                responseCode: webAclBlockedAnswer.statusCode!,
                customResponseBodyKey: blockedBodyKey,
                responseHeaders: [
                  { name: 'Cache-Control', value: 'no-store' },
                  { name: 'Retry-After', value: String(webAclRetryAfterSeconds) },
                ],
              },
            },
          },
          visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: this.ruleMetricName, sampledRequestsEnabled: false },
        },
      ],
    });
    new CfnWebACLAssociation(this, 'StageAssociation', { resourceArn: props.stage.stageArn, webAclArn: this.webAcl.attrArn });
  }

  /** Requests the rate rule blocked (AWS/WAFV2 BlockedRequests), summed over `period`. */
  metricBlockedRequests(period: Duration): Metric {
    return new Metric({
      namespace: 'AWS/WAFV2',
      metricName: 'BlockedRequests',
      dimensionsMap: { WebACL: this.webAclMetricName, Rule: this.ruleMetricName, Region: Stack.of(this).region },
      statistic: 'Sum',
      period,
    });
  }
}
