/**
 * Runs one bundled Lambda function the way Lambda's Node.js runtime does: loads index.js from
 * LAMBDA_TASK_ROOT once (the cold start), then handles each invocation sent over IPC with a
 * Lambda context, and sends back the handler's result or error. Plain CommonJS, run by node
 * itself, so that the file CDK produced runs untouched by jest's transforms.
 *
 * From nodejs24.x on (AWS_EXECUTION_ENV), it applies what that runtime changed: a handler of three
 * or more parameters is refused at init (Runtime.CallbackHandlerDeprecated), and the context has
 * no callbackWaitsForEmptyEventLoop, done, fail or succeed.
 */
const path = require('node:path');

const { handler } = require(path.join(process.env.LAMBDA_TASK_ROOT, 'index.js'));
const runtimeMajor = Number((/nodejs(\d+)/.exec(process.env.AWS_EXECUTION_ENV || '') || [])[1]);
const callbacksRemoved = runtimeMajor >= 24;
const handlerShape = { parameters: handler.length, async: handler.constructor.name === 'AsyncFunction' };
if (callbacksRemoved && handlerShape.parameters >= 3) {
  process.stderr.write('Runtime.CallbackHandlerDeprecated: callback-based handlers are not supported from Node.js 24\n');
  process.exit(1);
}
let invocation = 0;

process.on('message', async ({ id, event }) => {
  invocation += 1;
  const context = {
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
    invokedFunctionArn: `arn:aws:lambda:${process.env.AWS_REGION}:123456789012:function:${process.env.AWS_LAMBDA_FUNCTION_NAME}`,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId: `00000000-0000-4000-8000-${String(invocation).padStart(12, '0')}`,
    logGroupName: `/aws/lambda/${process.env.AWS_LAMBDA_FUNCTION_NAME}`,
    logStreamName: '2026/11/22/[$LATEST]0123456789abcdef',
    getRemainingTimeInMillis: () => 10_000,
    ...(callbacksRemoved ? {} : { callbackWaitsForEmptyEventLoop: true, done() {}, fail() {}, succeed() {} }),
  };
  try {
    process.send({ id, result: await handler(event, context) });
  } catch (error) {
    process.send({ id, error: { name: error && error.name, message: error && error.message } });
  }
});
process.send({ ready: true, handlerShape });
