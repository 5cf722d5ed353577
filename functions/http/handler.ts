/** The API Gateway entry point: middleware wiring only; the logic is in shared/api. */
import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { httpErrorResponse } from '../../shared/api/error-response';
import { handleHttpRequest } from '../../shared/api/http-router';
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
