/**
 * Where alarms go: an SNS topic encrypted with a key of its own (CloudWatch may use it, nothing
 * else needs to), TLS only, that this account's CloudWatch alarms may publish to, and an e-mail
 * subscription when the operator gives an address.
 */
import { Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface AlarmTopicProps {
  /**
   * Subscribed by e-mail (SNS sends a confirmation message first).
   * @default - no subscription; subscribe to the topic output yourself
   */
  readonly email?: string;
}

export class AlarmTopic extends Construct {
  readonly topic: Topic;

  constructor(scope: Construct, id: string, props: AlarmTopicProps = {}) {
    super(scope, id);
    const key = new Key(this, 'Key', { enableKeyRotation: true, description: 'transfer-gate alarm topic' });
    // CloudWatch publishes alarm changes to the encrypted topic, so it must be able to use the key.
    key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    this.topic = new Topic(this, 'Topic', { masterKey: key, enforceSSL: true });
    this.allowAlarms();
    if (props.email) {
      const subscription = this.topic.addSubscription(new EmailSubscription(props.email));
      Validations.of(subscription).acknowledge({
        id: 'Serverless-SNSRedrivePolicy',
        reason: 'An e-mail that cannot be delivered has nowhere useful to go; the alarm stays visible in CloudWatch and on the dashboard.',
      });
    }
  }

  /**
   * A topic policy replaces SNS's default one, and enforceSSL creates a policy holding only the
   * TLS deny: without this statement CloudWatch may not publish and alarms never arrive. Only
   * alarms of this account and region (aws:SourceAccount, aws:SourceArn: no confused deputy).
   */
  private allowAlarms(): void {
    const { account, region, partition } = Stack.of(this);
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowCloudWatchAlarms',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': account },
          ArnLike: { 'aws:SourceArn': `arn:${partition}:cloudwatch:${region}:${account}:alarm:*` },
        },
      }),
    );
  }
}
