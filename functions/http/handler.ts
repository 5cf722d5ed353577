/** The API Gateway entry point: middleware wiring only; the logic is in shared/api. */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { handleHttpRequest } from '../../shared/api/http-router';
import { httpErrorResponse } from '../../shared/api/error-response';
import { logger } from '../../shared/logger';
import { type Runtime, defaultRuntime } from '../../shared/runtime';

export function createHttpHandler(getRuntime: () => Runtime = defaultRuntime) {
  return middy<APIGatewayProxyEvent, APIGatewayProxyResult>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(httpErrorResponse())
    .handler((event) => handleHttpRequest(getRuntime(), event));
}

export const handler = createHttpHandler();
