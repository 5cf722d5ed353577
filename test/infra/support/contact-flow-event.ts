/**
 * An Amazon Connect ContactFlowEvent shaped as the Connect admin guide documents the input of the
 * "Invoke AWS Lambda function" block: contact data (with the customer's number, which must never
 * be logged) and the block's parameters.
 */
import type { ConnectContactFlowEvent } from 'aws-lambda';

export const customerNumber = '+15550100777';

export function contactFlowEvent(parameters: Record<string, string>): ConnectContactFlowEvent {
  const instanceArn = 'arn:aws:connect:eu-west-1:123456789012:instance/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
  const documented = {
    Details: {
      ContactData: {
        Attributes: { language: 'en' },
        Channel: 'VOICE' as const,
        ContactId: '4a573372-1f28-4e26-b97b-2a6b1c9e0d11',
        CustomerEndpoint: { Address: customerNumber, Type: 'TELEPHONE_NUMBER' as const },
        CustomerId: 'customer-1',
        Description: 'inbound call',
        InitialContactId: '4a573372-1f28-4e26-b97b-2a6b1c9e0d11',
        InitiationMethod: 'INBOUND' as const,
        InstanceARN: instanceArn,
        LanguageCode: 'en-US',
        MediaStreams: { Customer: { Audio: null } },
        Name: 'ContactFlowEvent',
        PreviousContactId: '4a573372-1f28-4e26-b97b-2a6b1c9e0d11',
        Queue: {
          ARN: `${instanceArn}/queue/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee`,
          Name: 'BasicQueue',
          OutboundCallerId: { Address: '+15550100100', Type: 'TELEPHONE_NUMBER' },
        },
        References: {},
        SystemEndpoint: { Address: '+15550100100', Type: 'TELEPHONE_NUMBER' as const },
      },
      Parameters: parameters,
    },
    Name: 'ContactFlowEvent' as const,
  };
  const event: ConnectContactFlowEvent = documented;
  return event;
}
