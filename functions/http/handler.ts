/** The API Gateway entry point: middleware wiring only; the logic is in shared/http. */
import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { handleHttpRequest } from '../../shared/http/availability-api';
import { httpErrorResponse } from '../../shared/http/error-response';
import { withRequestScope } from '../../shared/logger';
import { type Runtime, defaultRuntime } from '../../shared/runtime';

export function createHttpHandler(getRuntime: () => Runtime = defaultRuntime) {
  return withRequestScope(
    middy<APIGatewayProxyEvent, APIGatewayProxyResult>()
      .use(httpErrorResponse())
      .handler((event) => handleHttpRequest(getRuntime, event)),
  );
}

export const handler = createHttpHandler();
