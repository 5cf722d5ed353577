/**
 * Answers API Gateway gives itself (unknown route, throttling, its own failures) in the gate's
 * error shape, `{"error": CODE, "message": TEXT}` with `Cache-Control: no-store`
 * (gate-contract.md section 3), so callers parse one shape whoever answered.
 */
import { type RestApi, ResponseType } from 'aws-cdk-lib/aws-apigateway';
import { type GatewayErrorAnswer, gatewayFailureAnswer, requestTooLargeAnswer, throttledAnswer, unknownRouteAnswer } from '../../shared/api/gateway-errors';

interface GatewayError {
  readonly type: ResponseType;
  readonly id: string;
  readonly answer: GatewayErrorAnswer;
}

const gatewayErrors: readonly GatewayError[] = [
  { type: ResponseType.MISSING_AUTHENTICATION_TOKEN, id: 'UnknownRoute', answer: unknownRouteAnswer },
  { type: ResponseType.THROTTLED, id: 'Throttled', answer: throttledAnswer },
  { type: ResponseType.REQUEST_TOO_LARGE, id: 'RequestTooLarge', answer: requestTooLargeAnswer },
  { type: ResponseType.BAD_REQUEST_PARAMETERS, id: 'BadParameters', answer: { code: 'invalid_request', message: '$context.error.messageString' } },
  { type: ResponseType.DEFAULT_4XX, id: 'Default4xx', answer: { code: 'invalid_request', message: '$context.error.messageString' } },
  { type: ResponseType.DEFAULT_5XX, id: 'Default5xx', answer: gatewayFailureAnswer },
];

export function addGatewayErrorResponses(api: RestApi): void {
  for (const { type, id, answer } of gatewayErrors) {
    // $context.error.messageString is already a quoted JSON string; our own texts are quoted here.
    const message = answer.message.startsWith('$') ? answer.message : JSON.stringify(answer.message);
    api.addGatewayResponse(id, {
      type,
      statusCode: answer.statusCode === undefined ? undefined : String(answer.statusCode),
      responseHeaders: { 'Cache-Control': "'no-store'" },
      templates: { 'application/json': `{"error":${JSON.stringify(answer.code)},"message":${message}}` },
    });
  }
}
