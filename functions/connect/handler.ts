/** The Amazon Connect contact-flow entry point: middleware wiring only; the logic is in shared/connect. */
import middy from '@middy/core';
import type { ConnectContactFlowEvent } from 'aws-lambda';
import { type ContactFlowAnswer, answerContactFlow } from '../../shared/connect/contact-flow';
import { withRequestScope } from '../../shared/logger';
import { type Runtime, defaultRuntime } from '../../shared/runtime';

export function createConnectHandler(getRuntime: () => Runtime = defaultRuntime) {
  return withRequestScope(middy<ConnectContactFlowEvent, ContactFlowAnswer>().handler((event) => answerContactFlow(getRuntime(), event)));
}

export const handler = createConnectHandler();
